package io.defensebuilders.orbital.ccdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.Assessment;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.Indicator;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.IndicatorType;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.Proximity;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.Sample;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.ThreatLevel;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Classification;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Maneuver;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.repository.ManeuverRepository;

/** The CCDM indicators on histories made to show each, and on one that shows none. Plain JUnit. */
class CcdmAssessorTest {

    static final Instant T0 = Instant.parse("2026-09-01T00:00:00Z");
    final CcdmAssessor assessor = new CcdmAssessor(new CcdmAssessor.Settings(30, 25, 0.05, 5, 1e-5, 8, 4, 5, 2));

    /** A LEO element set: mean motion (rev/day), inclination, B*, with a little tracking noise by index. */
    static Sample leo(int day, double meanMotion, double inclination, double bstar) {
        ElementSet e = new ElementSet(90001, "SAT", null, "U", T0.plusSeconds(day * 86400L), meanMotion, 0.001,
                inclination, 100, 90, 0, bstar, 0, 0, 0, 999, 1, "", "", null, null, ElementFormat.TLE);
        return new Sample(e, Double.NaN);
    }

    static Sample geo(int day, double longitude, double inclination) {
        ElementSet e = new ElementSet(90003, "GEO", null, "U", T0.plusSeconds(day * 86400L), 1.0027, 0.0002,
                inclination, 80, 200, 160, 0, 0, 0, 0, 999, 1, "", "", null, null, ElementFormat.TLE);
        return new Sample(e, longitude);
    }

    /** 20 days of a steady orbit with small noise. */
    static List<Sample> steady() {
        List<Sample> h = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            double noise = ((d * 7919) % 11 - 5) / 5.0; // deterministic, in [-1, 1]
            h.add(leo(d, 15.2 + noise * 2e-5, 97.4 + noise * 0.002, 2.5e-4 * (1 + 0.2 * noise)));
        }
        return h;
    }

    static ManeuverRepository.Stored maneuver(Instant epoch, Classification kind, double dv, double confidence) {
        Maneuver m = new Maneuver(Regime.LEO, 1, dv, 0, dv, 0, dv * 1.8, 0, 0, 0, 100, kind, confidence, 1 / (1 - confidence),
                43200, 60);
        return new ManeuverRepository.Stored(UUID.randomUUID(), 90001, "SAT", UUID.randomUUID(), UUID.randomUUID(),
                epoch.minusSeconds(86400), epoch, m, "t", epoch);
    }

    @Test
    void aSteadyObjectRaisesNothing() {
        Assessment a = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, steady(), List.of(), List.of());
        assertEquals(List.of(), a.indicators());
        assertEquals(ThreatLevel.NONE, a.threatLevel());
        assertEquals("NONE", a.ccdmType());
        assertEquals(0, a.confidence());
        assertEquals(20, a.elementSetsConsidered());
    }

    @Test
    void debrisThatManeuversIsUnexpectedWithHighConfidence() {
        List<Sample> h = steady();
        Instant last = h.getLast().elements().epoch();
        Assessment debris = assessor.assess(90001, "DEB", ObjectType.DEBRIS, h,
                List.of(maneuver(last, Classification.STATION_KEEPING, 0.2, 0.9)), List.of());
        assertEquals(IndicatorType.UNEXPECTED_MANEUVER, debris.indicators().getFirst().type());
        assertEquals(0.9, debris.indicators().getFirst().confidence(), 1e-9);
        assertEquals(ThreatLevel.CRITICAL, debris.threatLevel());
        assertEquals("MANEUVERING", debris.ccdmType());

        Assessment payloadKeepingStation = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, h,
                List.of(maneuver(last, Classification.STATION_KEEPING, 0.2, 0.9)), List.of());
        assertEquals(List.of(), payloadKeepingStation.indicators(), "station-keeping is what a payload does");

        Assessment payloadRaising = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, h,
                List.of(maneuver(last, Classification.ALTITUDE_RAISE, 10, 0.9)), List.of());
        assertEquals(0.63, payloadRaising.indicators().getFirst().confidence(), 1e-9);
        assertEquals(ThreatLevel.MEDIUM, payloadRaising.threatLevel());

        Assessment old = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, h,
                List.of(maneuver(last.minusSeconds(40 * 86400L), Classification.ALTITUDE_RAISE, 10, 0.9)), List.of());
        assertEquals(List.of(), old.indicators(), "a maneuver older than recent-maneuver-days is not recent");
    }

    @Test
    void dragTermJumpsAreAParameterInconsistency() {
        List<Sample> h = steady();
        h.add(leo(20, 15.2, 97.4, 2.5e-3)); // B* x10: area-to-mass changed (a deployed panel, a released object)
        Assessment a = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, h, List.of(), List.of());
        assertEquals(1, a.indicators().size(), a.toString());
        assertEquals(IndicatorType.ORBITAL_PARAMETER_INCONSISTENCY, a.indicators().getFirst().type());
        assertEquals("DECEPTION", a.ccdmType());
        assertEquals(1, a.indicators().getFirst().evidence().get("count"));

        List<Sample> flip = steady();
        flip.add(leo(20, 15.2, 97.4, -2.5e-4));
        assertEquals(IndicatorType.ORBITAL_PARAMETER_INCONSISTENCY,
                assessor.assess(90001, "SAT", ObjectType.PAYLOAD, flip, List.of(), List.of()).indicators().getFirst()
                        .type(),
                "a sign flip of a significant B*");
    }

    @Test
    void leavingTheUsualOrbitViolatesThePatternOfLife() {
        List<Sample> h = steady();
        h.add(leo(20, 15.15, 97.4, 2.5e-4)); // about 15 km higher
        Assessment a = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, h, List.of(), List.of());
        assertEquals(IndicatorType.PATTERN_OF_LIFE_VIOLATION, a.indicators().getFirst().type(), a.toString());
        @SuppressWarnings("unchecked")
        var elements = (List<java.util.Map<String, Object>>) a.indicators().getFirst().evidence().get("elements");
        assertEquals("semiMajorAxisKm", elements.getFirst().get("element"));

        List<Sample> box = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            box.add(geo(d, 75.0 + 0.01 * (d % 3), 0.05));
        }
        assertEquals(List.of(), assessor.assess(90003, "GEO", ObjectType.PAYLOAD, box, List.of(), List.of()).indicators());
        box.add(geo(12, 76.5, 0.05)); // drifted 1.5 degrees east of its slot
        Assessment g = assessor.assess(90003, "GEO", ObjectType.PAYLOAD, box, List.of(), List.of());
        assertEquals(IndicatorType.PATTERN_OF_LIFE_VIOLATION, g.indicators().getFirst().type(), g.toString());
        assertEquals("GEO", g.indicators().getFirst().evidence().get("regime"));

        List<Sample> wrap = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            wrap.add(geo(d, d % 2 == 0 ? 179.99 : -179.99, 0.05));
        }
        assertEquals(List.of(), assessor.assess(90003, "GEO", ObjectType.PAYLOAD, wrap, List.of(), List.of())
                .indicators(), "a slot on the antimeridian is one box, not two");

        List<Sample> shortHistory = new ArrayList<>(steady().subList(0, 5));
        shortHistory.add(leo(5, 15.0, 97.4, 2.5e-4));
        assertTrue(assessor.assess(90001, "SAT", ObjectType.PAYLOAD, shortHistory, List.of(), List.of()).indicators()
                .stream().noneMatch(i -> i.type() == IndicatorType.PATTERN_OF_LIFE_VIOLATION),
                "five element sets are too few for a pattern");
    }

    @Test
    void aSustainedCloseApproachIsAProximityOperationAndWithAManeuverARendezvous() {
        Instant at = T0.plusSeconds(19 * 86400L);
        Proximity companion = new Proximity(90002, "CHASER", 3.2, 8.5, 0.9, at);
        Proximity flyby = new Proximity(90005, "PASSER", 1.0, 900, 0.001, at);
        Assessment a = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, steady(), List.of(), List.of(companion, flyby));
        assertEquals(1, a.indicators().size());
        assertEquals(IndicatorType.PROXIMITY_OPERATION, a.indicators().getFirst().type());
        assertEquals(0.95, a.indicators().getFirst().confidence(), 1e-9);
        assertTrue(a.indicators().getFirst().summary().contains("CHASER"), a.indicators().getFirst().summary());

        Assessment passing = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, steady(), List.of(), List.of(flyby));
        assertEquals(List.of(), passing.indicators(), "a conjunction is not a proximity operation");

        Proximity loose = new Proximity(90002, "CHASER", 20, 24, 0.06, at);
        Assessment approach = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, steady(),
                List.of(maneuver(steady().getLast().elements().epoch(), Classification.PHASING, 0.5, 0.4)),
                List.of(loose));
        assertEquals(ThreatLevel.HIGH, approach.threatLevel(), "maneuvering into a sustained approach: " + approach);
    }

    @Test
    void aLongSilenceThatEndedRecentlyIsACustodyGap() {
        // daily element sets, then nine days without one, then daily again
        List<Sample> h = new ArrayList<>();
        for (int d = 0; d < 30; d++) {
            if (d < 12 || d > 20) {
                h.add(leo(d, 15.2, 97.4, 2.5e-4));
            }
        }
        Instant gapStart = T0.plusSeconds(11 * 86400L);
        Instant gapEnd = T0.plusSeconds(21 * 86400L);
        Assessment a = assessor.assess(90001, "SAT", ObjectType.PAYLOAD, h,
                List.of(maneuver(gapEnd.minusSeconds(86400), Classification.STATION_KEEPING, 0.2, 0.6)), List.of());
        Indicator gap = a.indicators().stream().filter(i -> i.type() == IndicatorType.CUSTODY_GAP).findFirst()
                .orElseThrow(() -> new AssertionError(a.toString()));
        assertEquals(10.0, (double) gap.evidence().get("gapDays"), 1e-9);
        assertEquals(1.0, (double) gap.evidence().get("medianIntervalDays"), 1e-9);
        assertEquals(true, gap.evidence().get("maneuverInGap"));
        assertEquals(gapStart.toString(), gap.evidence().get("gapStart"));
        assertEquals(0.5, gap.confidence(), 1e-9, "1 - 5/10");
        assertEquals("CONCEALMENT", gap.type().ccdmType);

        // the same silence longer ago than the recent window, and a steady history, raise nothing
        List<Sample> old = new ArrayList<>(h);
        for (int d = 30; d < 70; d++) {
            old.add(leo(d, 15.2, 97.4, 2.5e-4));
        }
        assertTrue(assessor.assess(90001, "SAT", ObjectType.PAYLOAD, old, List.of(), List.of()).indicators().stream()
                .noneMatch(i -> i.type() == IndicatorType.CUSTODY_GAP));
        assertTrue(assessor.assess(90001, "SAT", ObjectType.PAYLOAD, steady(), List.of(), List.of()).indicators()
                .isEmpty());
    }
}
