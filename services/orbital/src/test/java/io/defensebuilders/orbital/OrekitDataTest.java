package io.defensebuilders.orbital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orekit.frames.EOPHistory;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.TimeScale;
import org.orekit.utils.IERSConventions;

import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.propagation.OrekitData;

/** Orekit's data comes from the service's own resources, and an operator directory read before them. */
class OrekitDataTest {

    private static OrbitalConfig config(Path dataPath) {
        OrbitalConfig.Orekit orekit = () -> Optional.ofNullable(dataPath);
        return new OrbitalConfig() {
            public String eventSource() {
                return "/test";
            }

            public Ingest ingest() {
                return null;
            }

            public Propagation propagation() {
                return null;
            }

            public Catalog catalog() {
                return null;
            }

            public Orekit orekit() {
                return orekit;
            }

            public Screening screening() {
                return null;
            }

            public ProtectedAssets protectedAssets() {
                return null;
            }

            public Maneuvers maneuvers() {
                return null;
            }

            public Ccdm ccdm() {
                return null;
            }
        };
    }

    private static double taiMinusUtc(OrekitData data, int year) {
        TimeScale tai = data.context().getTimeScales().getTAI();
        return -data.utc().offsetFromTAI(new AbsoluteDate(year, 1, 2, tai)).toDouble();
    }

    @Test
    void theBundledLeapSecondTableEndsWith37SecondsIn2017() {
        OrekitData data = new OrekitData(config(null));
        assertEquals(10.0, taiMinusUtc(data, 1972), 0);
        assertEquals(36.0, taiMinusUtc(data, 2016), 0);
        assertEquals(37.0, taiMinusUtc(data, 2017), 0);
        assertEquals(37.0, taiMinusUtc(data, 2030), 0);
        assertTrue(data.hasEop(), "IERS EOP ship with the service");
        EOPHistory eop = data.context().getFrames().getEOPHistory(IERSConventions.IERS_2010, true);
        // finals2000A.all, 2020-01-01: UT1-UTC = -0.1771303 s in the Bulletin B columns, which Orekit prefers
        assertEquals(-0.1771303, eop.getUT1MinusUTC(new AbsoluteDate(2020, 1, 1, data.utc())), 1e-6);
        assertTrue(eop.getEndDate().durationFrom(new AbsoluteDate(2026, 11, 1, data.utc())) > 0,
                "the bundled table (with predictions) reaches past November 2026");
    }

    @Test
    void operatorDataIsReadBeforeTheBundledData(@TempDir Path dir) throws IOException {
        String bundled;
        try (InputStream in = OrekitData.class.getClassLoader().getResourceAsStream(OrekitData.BUNDLED_LEAP_SECONDS)) {
            bundled = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        // a leap second that has not happened, to tell the operator's table from the bundled one
        Files.writeString(dir.resolve("tai-utc.dat"), bundled
                + " 2029 JAN  1 =JD 2462137.5  TAI-UTC=  38.0       S + (MJD - 41317.) X 0.0      S\n");
        OrekitData data = new OrekitData(config(dir));
        assertEquals(37.0, taiMinusUtc(data, 2028), 0);
        assertEquals(38.0, taiMinusUtc(data, 2030), 0);
    }

    @Test
    void aMissingOperatorDataPathFailsAtStartup(@TempDir Path dir) {
        assertThrows(IllegalStateException.class, () -> new OrekitData(config(dir.resolve("absent"))));
    }
}
