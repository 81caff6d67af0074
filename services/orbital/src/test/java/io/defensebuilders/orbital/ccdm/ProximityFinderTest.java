package io.defensebuilders.orbital.ccdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.orekit.propagation.analytical.tle.TLE;

import io.defensebuilders.orbital.maneuvers.Burns;
import io.defensebuilders.orbital.propagation.OrekitData;

/** Sustained nearness against brief passes, on a LEO object and three others. Plain JUnit. */
class ProximityFinderTest {

    static final OrekitData OREKIT = OrekitData.bundled();

    static TLE tle(int norad, double inclination, double meanAnomaly, double meanMotion) {
        String sat = String.format("%05d", norad);
        return new TLE(Burns.checksum("1 " + sat + "U 26001A   26305.00000000  .00000000  00000-0  00000-0 0  9990"),
                Burns.checksum(String.format("2 %s %8.4f 120.0000 0010000  90.0000 %8.4f %11.8f    12", sat,
                        inclination, meanAnomaly, meanMotion)),
                OREKIT.utc());
    }

    @Test
    void aCompanionInTheSameOrbitIsNearAllDayAndAPasserOnlyBriefly() {
        TLE primary = tle(90001, 97.4, 270.0, 15.2);
        TLE companion = tle(90002, 97.4, 270.05, 15.2); // 0.05 degrees ahead: about 6 km along track
        TLE crossing = tle(90003, 87.4, 270.0, 15.2); // same altitude, a plane 10 degrees off: meets at the nodes
        TLE far = tle(90004, 97.4, 90.0, 15.2); // same orbit, half a revolution away
        var finder = new ProximityFinder(OREKIT.teme(), OREKIT.utc());
        List<CcdmAssessor.Proximity> near = finder.near(primary, List.of(
                new ProximityFinder.Candidate(90002, "COMPANION", companion),
                new ProximityFinder.Candidate(90003, "CROSSING", crossing),
                new ProximityFinder.Candidate(90004, "FAR", far)), primary.getDate().shiftedBy(-43200), 86400, 25, 0.05);
        assertEquals(1, near.size(), near.toString());
        CcdmAssessor.Proximity c = near.getFirst();
        assertEquals(90002, c.noradId());
        assertEquals(1.0, c.fractionWithin(), 1e-9, "within 25 km for the whole day");
        assertTrue(c.minKm() > 4 && c.minKm() < 8, c.toString());
    }
}
