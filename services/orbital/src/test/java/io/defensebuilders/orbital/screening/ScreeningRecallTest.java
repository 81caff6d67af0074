package io.defensebuilders.orbital.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

import io.defensebuilders.orbital.propagation.OrekitData;

/**
 * The screening engine against the brute-force fine-step reference (every pair, SGP4 every 10 s, same TCA
 * refinement) on a few hundred synthetic objects: no conjunction missed, none invented, the same TCA and miss.
 * Plain JUnit: no Quarkus, no database.
 */
class ScreeningRecallTest {

    static OrekitData orekit;
    static AbsoluteDate start;
    static List<Screener.Target> targets;

    @BeforeAll
    static void catalog() {
        orekit = OrekitData.bundled();
        start = new AbsoluteDate(2026, 11, 1, 0, 0, 0.0, orekit.utc());
        targets = SyntheticCatalog.generate(400, 7, start, orekit.utc(), 70000).stream()
                .map(e -> new Screener.Target(e.noradId(), new TLE(e.line1(), e.line2(), orekit.utc()))).toList();
    }

    private static String key(Screener.Conjunction c) {
        return Math.min(c.primary(), c.secondary()) + "-" + Math.max(c.primary(), c.secondary());
    }

    private static boolean same(Screener.Conjunction a, Screener.Conjunction b) {
        return key(a).equals(key(b)) && Math.abs(a.tca().durationFrom(b.tca())) < 1e-3
                && Math.abs(a.missKm() - b.missKm()) < 1e-3;
    }

    @Test
    void findsEveryConjunctionTheBruteForceReferenceFinds() {
        double duration = 86400;
        double threshold = 5.0;
        List<Screener.Conjunction> reference = BruteForceScreener.screen(targets, start, duration, threshold, 10,
                orekit.teme());
        Screener.Result result = new Screener(orekit.teme()).screen(targets, null, start,
                Screener.Options.of(duration, threshold), null);
        List<Screener.Conjunction> found = result.conjunctions();
        assertTrue(reference.size() >= 10, "the synthetic catalog has conjunctions to find: " + reference.size());
        List<Screener.Conjunction> missed = reference.stream().filter(r -> found.stream().noneMatch(f -> same(f, r)))
                .toList();
        assertEquals(List.of(), missed, "recall must be 100%");
        List<Screener.Conjunction> invented = found.stream()
                .filter(f -> reference.stream().noneMatch(r -> same(f, r))).toList();
        assertEquals(List.of(), invented, "every conjunction reported is a real one");
        for (Screener.Conjunction c : found) {
            assertTrue(c.missKm() <= threshold);
            double rtn = Math.sqrt(c.radialKm() * c.radialKm() + c.inTrackKm() * c.inTrackKm()
                    + c.crossTrackKm() * c.crossTrackKm());
            assertEquals(c.missKm(), rtn, 1e-9, "RTN components add up to the miss distance");
            // at TCA the relative velocity is perpendicular to the miss vector
            Vector3D d = c.secondaryState().getPosition().subtract(c.primaryState().getPosition());
            Vector3D v = c.secondaryState().getVelocity().subtract(c.primaryState().getVelocity());
            assertTrue(Math.abs(d.normalize().dotProduct(v)) < 1e-3 * Math.max(1, v.getNorm()),
                    "range rate zero at TCA");
        }
    }

    /**
     * A wide threshold puts thousands of pairs across cell boundaries of the spatial index: with or without
     * primaries, nothing the reference finds is missed.
     */
    @Test
    void aWideThresholdMissesNothingAcrossCells() {
        double duration = 6 * 3600;
        double threshold = 60;
        List<Screener.Conjunction> reference = BruteForceScreener.screen(targets, start, duration, threshold, 10,
                orekit.teme());
        Screener screener = new Screener(orekit.teme());
        List<Screener.Conjunction> found = screener.screen(targets, null, start,
                Screener.Options.of(duration, threshold), null).conjunctions();
        assertTrue(reference.size() >= 100, "pairs to find: " + reference.size());
        assertEquals(List.of(), reference.stream().filter(r -> found.stream().noneMatch(f -> same(f, r))).toList(),
                "recall must be 100%");
        // every tenth object a primary
        Set<Integer> primaries = new java.util.HashSet<>();
        for (int k = 0; k < targets.size(); k += 10) {
            primaries.add(targets.get(k).id());
        }
        List<Screener.Conjunction> some = screener.screen(targets, primaries, start,
                Screener.Options.of(duration, threshold), null).conjunctions();
        List<Screener.Conjunction> expected = reference.stream()
                .filter(c -> primaries.contains(c.primary()) || primaries.contains(c.secondary())).toList();
        assertFalse(expected.isEmpty());
        assertEquals(List.of(), expected.stream().filter(r -> some.stream().noneMatch(f -> same(f, r))).toList(),
                "recall with primaries must be 100%");
        assertTrue(some.stream().allMatch(c -> primaries.contains(c.primary()) || primaries.contains(c.secondary())));
    }

    @Test
    void primariesScreenOnlyTheirPairsAndMissNone() {
        double duration = 86400;
        Screener screener = new Screener(orekit.teme());
        Screener.Result all = screener.screen(targets, null, start, Screener.Options.of(duration, 5), null);
        // the primaries: both members of some close pairs and a few others
        Set<Integer> primaries = all.conjunctions().stream().limit(6).map(Screener.Conjunction::primary)
                .collect(Collectors.toSet());
        primaries.add(targets.get(3).id());
        Screener.Result some = screener.screen(targets, primaries, start, Screener.Options.of(duration, 5), null);
        List<String> expected = all.conjunctions().stream()
                .filter(c -> primaries.contains(c.primary()) || primaries.contains(c.secondary()))
                .map(c -> key(c) + "@" + c.tca()).sorted().toList();
        List<String> actual = some.conjunctions().stream().map(c -> key(c) + "@" + c.tca()).sorted().toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @Test
    void syntheticCatalogIsValidAndSeedable() {
        List<SyntheticCatalog.Entry> a = SyntheticCatalog.generate(300, 11, start, orekit.utc(), 1000);
        List<SyntheticCatalog.Entry> b = SyntheticCatalog.generate(300, 11, start, orekit.utc(), 1000);
        assertEquals(a, b, "the same seed gives the same catalog");
        assertEquals(300, a.size());
        List<String> names = new ArrayList<>();
        for (SyntheticCatalog.Entry e : a) {
            assertEquals(69, e.line1().length());
            assertEquals(69, e.line2().length());
            assertEquals(checksum(e.line1()), e.line1().charAt(68) - '0', e.line1());
            assertEquals(checksum(e.line2()), e.line2().charAt(68) - '0', e.line2());
            assertTrue(TLE.isFormatOK(e.line1(), e.line2()), e.line1());
            names.add(e.name().split(" ")[0]);
        }
        for (String family : List.of("SHELL-550", "SSO", "LEO", "DEB", "MEO", "GEO", "MOLNIYA", "PAIR-A")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(family.split("-")[0])), family);
        }
    }

    private static int checksum(String line) {
        int sum = 0;
        for (int i = 0; i < 68; i++) {
            char c = line.charAt(i);
            if (Character.isDigit(c)) {
                sum += c - '0';
            } else if (c == '-') {
                sum++;
            }
        }
        return sum % 10;
    }

    @Test
    void probabilityOfCollisionMatchesTheClosedFormForAHeadOnZeroMiss() {
        // isotropic 100 m sigmas on both objects, zero miss: Pc = 1 - exp(-R^2 / (2 sigma^2)), sigma^2 = 2 * 100^2
        PVCoordinates a = new PVCoordinates(new Vector3D(7000e3, 0, 0), new Vector3D(0, 7500, 0));
        PVCoordinates b = new PVCoordinates(new Vector3D(7000e3, 0, 0), new Vector3D(0, 0, 7500));
        double pc = CollisionProbability.compute(a, new double[] { 100, 100, 100 }, b, new double[] { 100, 100, 100 },
                20);
        assertEquals(1 - Math.exp(-400.0 / (2 * 20000)), pc, 1e-6);
        // far apart: negligible
        PVCoordinates far = new PVCoordinates(new Vector3D(7000e3, 0, 4000), new Vector3D(0, 0, 7500));
        assertTrue(CollisionProbability.compute(a, new double[] { 100, 100, 100 }, far,
                new double[] { 100, 100, 100 }, 20) < 1e-10);
        // default covariances give a probability in [0, 1]
        double def = CollisionProbability.compute(a, b);
        assertTrue(def > 0 && def < 1, "default-covariance Pc " + def);
    }
}
