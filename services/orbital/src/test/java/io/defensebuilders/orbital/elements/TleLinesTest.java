package io.defensebuilders.orbital.elements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;

/** The NORAD two-line format, column by column, without the upload API around it. */
class TleLinesTest {

    /** The ISS element set of the format's usual worked example (CelesTrak, Wikipedia). */
    private static final String L1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927";
    private static final String L2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537";

    @Test
    void readsEveryFieldWithItsImpliedDecimalPoints() {
        ElementErrors errors = new ElementErrors();
        ElementSet set = TleLines.parse(L1, L2, "line 1", "line 2", errors);
        assertTrue(errors.isEmpty());
        assertNotNull(set);
        assertEquals(25544, set.noradId());
        assertEquals("U", set.classification());
        assertEquals("1998-067A", set.intlDesignator());
        // day 264.51782528 of 2008: 2008-09-20T12:25:40.104192Z
        assertEquals(Instant.parse("2008-09-20T12:25:40.104192Z").toEpochMilli(), set.epoch().toEpochMilli());
        assertEquals(-0.00002182, set.meanMotionDot(), 1e-15);
        assertEquals(0.0, set.meanMotionDdot(), 0.0);
        assertEquals(-0.11606e-4, set.bstar(), 1e-15);
        assertEquals(292, set.elementSetNo());
        assertEquals(51.6416, set.inclination(), 1e-12);
        assertEquals(247.4627, set.raOfAscNode(), 1e-12);
        assertEquals(0.0006703, set.eccentricity(), 1e-15);
        assertEquals(130.5360, set.argOfPericenter(), 1e-12);
        assertEquals(325.0288, set.meanAnomaly(), 1e-12);
        assertEquals(15.72125391, set.meanMotion(), 1e-12);
        assertEquals(56353, set.revAtEpoch());
    }

    @Test
    void theChecksumIsTheDigitSumWithMinusSignsCountingOneModuloTen() {
        assertEquals(7, TleLines.checksum(L1));
        assertEquals(7, TleLines.checksum(L2));
        assertEquals(1, TleLines.checksum("-"));
        assertEquals(0, TleLines.checksum("+ .ABC"));
    }

    @Test
    void aWrongChecksumIsReportedWithTheLineAndTheDigitExpected() {
        List<Problem.FieldError> errors = errors(L1.substring(0, 68) + "3", L2);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().field().startsWith("line 1"), errors.toString());
        assertTrue(errors.getFirst().message().contains("7"), errors.toString());
    }

    @Test
    void linesOfDifferentSatellitesAreRefused() {
        String other = "2 25545  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563538";
        List<Problem.FieldError> errors = errors(L1, other);
        assertTrue(errors.stream().anyMatch(e -> e.field().equals("line 2: noradId") && e.message().contains("25545")
                && e.message().contains("25544")), errors.toString());
    }

    @Test
    void everyProblemOfALineIsReportedInOnePass() {
        // eccentricity with a decimal point, inclination over 180, mean motion over 20 rev/day: three fields, and
        // the checksum no longer adds up
        String bad = "2 25544 181.6416 247.4627 .006703 130.5360 325.0288 25.72125391563537";
        List<Problem.FieldError> errors = errors(L1, bad);
        List<String> fields = errors.stream().map(Problem.FieldError::field).toList();
        assertTrue(fields.contains("line 2: inclination"), fields.toString());
        assertTrue(fields.contains("line 2: eccentricity"), fields.toString());
        assertTrue(fields.contains("line 2: meanMotion"), fields.toString());
        assertTrue(errors.size() >= 3, errors.toString());
    }

    @Test
    void aShortLineIsRefusedWithoutReadingItsColumns() {
        ElementErrors errors = new ElementErrors();
        assertNull(TleLines.parse(L1.substring(0, 60), L2, "line 1", "line 2", errors));
        assertTrue(errors.count() >= 1);
    }

    @Test
    void alpha5CatalogNumbersReadAsTheirNumber() {
        // A0001 is catalog number 100001 (A = 10; I and O are skipped)
        String l1 = "1 A0001U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  292";
        String l2 = "2 A0001  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537".substring(0, 68);
        l1 = l1 + TleLines.checksum(l1);
        l2 = l2 + TleLines.checksum(l2);
        ElementErrors errors = new ElementErrors();
        ElementSet set = TleLines.parse(l1, l2, "line 1", "line 2", errors);
        assertTrue(errors.isEmpty(), () -> errors.count() + " errors");
        assertEquals(100001, set.noradId());
    }

    private static List<Problem.FieldError> errors(String line1, String line2) {
        ElementErrors errors = new ElementErrors();
        assertNull(TleLines.parse(line1, line2, "line 1", "line 2", errors));
        ProblemException e = assertThrows(ProblemException.class, errors::throwIfAny);
        assertEquals(400, e.status());
        return e.toProblem().errors();
    }
}
