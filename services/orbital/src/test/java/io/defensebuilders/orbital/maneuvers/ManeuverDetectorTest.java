package io.defensebuilders.orbital.maneuvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orekit.propagation.analytical.tle.TLE;

import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Classification;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Maneuver;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.propagation.OrekitData;

/**
 * Element-set pairs with a known impulsive burn ({@link Burns}). Pairs without a burn are fitted the same way, so the
 * fitting error is part of what must not be taken for a maneuver. Plain JUnit.
 */
class ManeuverDetectorTest {

    static OrekitData orekit;
    static ManeuverDetector detector;
    static Burns burns;

    // a 500 km sun-synchronous-ish LEO, a GPS-like MEO, a geostationary satellite, a Molniya
    static final String[] LEO = { "1 90001U 26001A   26305.00000000  .00000500  00000-0  25000-4 0  9990",
            "2 90001  97.4000 120.0000 0010000  90.0000 270.0000 15.20000000    12" };
    static final String[] MEO = { "1 90002U 26001B   26305.00000000 -.00000030  00000-0  00000+0 0  9990",
            "2 90002  55.0000  40.0000 0050000  30.0000 330.0000  2.00560000    12" };
    static final String[] GEO = { "1 90003U 26001C   26305.00000000 -.00000100  00000-0  00000+0 0  9990",
            "2 90003   0.0500  80.0000 0002000 200.0000 160.0000  1.00270000    12" };
    static final String[] HEO = { "1 90004U 26001D   26305.00000000  .00000100  00000-0  10000-3 0  9990",
            "2 90004  63.4000 300.0000 7000000 270.0000  10.0000  2.00600000    12" };

    @BeforeAll
    static void setUp() {
        orekit = OrekitData.bundled();
        burns = new Burns(orekit);
        detector = new ManeuverDetector(orekit.teme(), new ManeuverDetector.Settings() {
            @Override
            public ManeuverDetector.Thresholds thresholds(Regime regime) {
                return ManeuverDetector.Thresholds.defaults(regime);
            }

            @Override
            public double maxGapDays() {
                return 30;
            }
        });
    }

    static TLE tle(String[] lines) {
        return burns.tle(lines[0], lines[1]);
    }

    static TLE afterBurn(TLE before, double burnAfterS, double radial, double inTrack, double crossTrack,
            double afterBurnS) {
        return burns.afterBurn(before, burnAfterS, radial, inTrack, crossTrack, afterBurnS);
    }

    @Test
    void noBurnIsNoManeuverInAnyRegime() {
        for (String[] lines : new String[][] { LEO, MEO, GEO, HEO }) {
            TLE before = tle(lines);
            for (double gapDays : new double[] { 0.5, 2, 7 }) {
                TLE after = afterBurn(before, gapDays * 86400 / 2, 0, 0, 0, gapDays * 86400 / 2);
                Optional<Maneuver> m = detector.detect(before, after);
                assertTrue(m.isEmpty(), "no burn, " + gapDays + " days, " + lines[1].substring(2, 7) + ": " + m);
            }
        }
    }

    @Test
    void aLeoRaiseIsFoundWithItsDeltaV() {
        TLE before = tle(LEO);
        Maneuver m = detector.detect(before, afterBurn(before, 86400, 0, 10, 0, 43200)).orElseThrow();
        assertEquals(Regime.LEO, m.regime());
        assertEquals(Classification.ALTITUDE_RAISE, m.classification());
        assertEquals(10, m.deltaVMs(), 1.5, "total Δv: " + m);
        assertEquals(10, m.inTrackMs(), 1.0, "in-track Δv: " + m);
        assertTrue(Math.abs(m.crossTrackMs()) < 1, "no plane change: " + m);
        assertTrue(m.deltaSemiMajorAxisKm() > 15 && m.deltaSemiMajorAxisKm() < 22, "Δa ≈ 2aΔv/v ≈ 18 km: " + m);
        assertTrue(m.confidence() > 0.9, m.toString());
        assertEquals(1.5, m.gapDays(), 1e-6);
        // the burn was a day after the first element set; the drift makes the meeting point unique
        assertEquals(86400, m.burnAfterS(), 120, "burn time: " + m);
        assertTrue(m.burnUncertaintyS() < 600, "one meeting point: " + m);
    }

    @Test
    void aLeoLoweringAndASmallPhasingBurnAreTellApart() {
        TLE before = tle(LEO);
        Maneuver lower = detector.detect(before, afterBurn(before, 30000, 0, -8, 0, 20000)).orElseThrow();
        assertEquals(Classification.ALTITUDE_LOWER, lower.classification(), lower.toString());
        assertEquals(-8, lower.inTrackMs(), 1.0);
        Maneuver phasing = detector.detect(before, afterBurn(before, 30000, 0, 1, 0, 20000)).orElseThrow();
        assertEquals(Classification.PHASING, phasing.classification(), phasing.toString());
        assertEquals(1, phasing.deltaVMs(), 0.25, phasing.toString());
    }

    @Test
    void aPlaneChangeIsCrossTrack() {
        TLE before = tle(LEO);
        Maneuver m = detector.detect(before, afterBurn(before, 20000, 0, 0, 25, 10000)).orElseThrow();
        assertEquals(Classification.PLANE_CHANGE, m.classification(), m.toString());
        assertEquals(25, Math.abs(m.crossTrackMs()), 2.5, m.toString());
        assertTrue(Math.abs(m.inTrackMs()) < 1.5, m.toString());
        // 25 m/s at 7.6 km/s turns the plane by about 0.19 degrees
        assertEquals(0.19, m.planeChangeDeg(), 0.03, m.toString());
        // no drift: the planes meet again every revolution, and the uncertainty says so while covering the truth
        assertTrue(Math.abs(m.burnAfterS() - 20000) <= m.burnUncertaintyS(), "burn time: " + m);
        assertTrue(m.burnUncertaintyS() > 2000, "ambiguous by revolutions: " + m);
    }

    @Test
    void aRadialBurnShowsAsRadial() {
        TLE before = tle(LEO);
        Maneuver m = detector.detect(before, afterBurn(before, 20000, 20, 0, 0, 10000)).orElseThrow();
        assertTrue(m.radialMs() > 10 && m.radialMs() < 30, "radial ≈ 20 m/s: " + m);
        assertTrue(Math.abs(m.crossTrackMs()) < 2, m.toString());
    }

    @Test
    void geostationaryStationKeepingIsSmallAndClassifiedSo() {
        TLE before = tle(GEO);
        Maneuver ew = detector.detect(before, afterBurn(before, 86400, 0, 0.3, 0, 86400)).orElseThrow();
        assertEquals(Regime.GEO, ew.regime());
        assertEquals(86400, ew.burnAfterS(), 1800, "burn time: " + ew);
        assertEquals(Classification.STATION_KEEPING, ew.classification(), ew.toString());
        assertEquals(0.3, ew.deltaVMs(), 0.1, ew.toString());
        Maneuver transfer = detector.detect(before, afterBurn(before, 86400, 0, 15, 0, 86400)).orElseThrow();
        assertEquals(Classification.ALTITUDE_RAISE, transfer.classification(), transfer.toString());
        assertEquals(15, transfer.deltaVMs(), 2, transfer.toString());
    }

    @Test
    void meoAndMolniyaBurnsAreFound() {
        TLE meo = tle(MEO);
        Maneuver m = detector.detect(meo, afterBurn(meo, 40000, 0, 3, 0, 40000)).orElseThrow();
        assertEquals(Regime.MEO, m.regime());
        assertEquals(3, m.inTrackMs(), 0.6, m.toString());
        TLE heo = tle(HEO);
        Maneuver h = detector.detect(heo, afterBurn(heo, 40000, 0, 0, 30, 20000)).orElseThrow();
        assertEquals(Regime.HEO, h.regime());
        assertTrue(h.deltaVMs() > 5, h.toString());
    }

    @Test
    void pairsTooFarApartOrOutOfOrderAreNotCompared() {
        TLE before = tle(LEO);
        TLE after = afterBurn(before, 86400, 0, 10, 0, 0);
        assertTrue(detector.detect(after, before).isEmpty(), "out of order");
        TLE late = afterBurn(before, 40 * 86400, 0, 10, 0, 0);
        assertTrue(detector.detect(before, late).isEmpty(), "40 days apart is past maxGapDays");
    }

    @Test
    void aWindowThatIsAWholeNumberOfSamplingStepsLong_isSearchedToItsEnd() {
        // Vanguard 1's elements re-epoched 950.4 s and 1,900.8 s later: the closest approach is the last sample, whose
        // time (steps times step) rounds past the window; that was an exception (a 500 on upload) before
        String[] vanguard = { "1 00005U 58002B   24001.00100000  .00000023  00000-0  28098-4 0  4753",
                "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667" };
        TLE before = tle(vanguard);
        for (String later : new String[] { "24001.01200000", "24001.02300000" }) {
            TLE after = burns.tle(vanguard[0].substring(0, 18) + later + vanguard[0].substring(32), vanguard[1]);
            double window = after.getDate().durationFrom(before.getDate());
            Maneuver m = detector.detect(before, after).orElseThrow();
            assertTrue(m.burnAfterS() >= 0 && m.burnAfterS() <= window, window + " s window: " + m);
        }
    }
}
