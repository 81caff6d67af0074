package io.defensebuilders.orbital.elements;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hipparchus.util.FastMath;
import org.orekit.errors.OrekitException;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.DateComponents;
import org.orekit.time.TimeComponents;
import org.orekit.time.TimeScale;

import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.platform.web.TextRules;

/**
 * Turns one OMM into an SGP4 element set: checks that it is an SGP4 OMM (Earth-centred, TEME, UTC), that every
 * element SGP4 needs is present, numeric and in range, then writes the TLE lines SGP4 runs on (through Orekit) and
 * validates them like uploaded ones. Errors name the keyword and where it is.
 */
final class OmmConverter {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern OBJECT_ID = Pattern.compile("(\\d{4})-(\\d{3})([A-Z]{1,3})");
    private static final Pattern CALENDAR = Pattern
            .compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2}(?:\\.\\d+)?)Z?");
    private static final Pattern ORDINAL = Pattern.compile("(\\d{4})-(\\d{3})T(\\d{2}):(\\d{2}):(\\d{2}(?:\\.\\d+)?)Z?");
    private static final Set<String> SGP4_THEORIES = Set.of("SGP4", "SGP/SGP4");
    private static final double REV_PER_DAY_TO_RAD_PER_S = 2 * FastMath.PI / 86400.0;

    private OmmConverter() {
    }

    /**
     * Magnitudes of a TLE exponential field ({@code ±.NNNNN±E}: five mantissa digits, one exponent digit) must stay
     * below this: from here on they round to 1.00000e9, which the field cannot hold (.99999+9 is its largest).
     */
    static final double MAX_EXPONENTIAL = 0.999995e9;

    /**
     * The element set of {@code omm}, or null when anything is wrong (then {@code errors} says what). An epoch after
     * {@code latestEpoch} (unless null) is an error.
     */
    static ElementSet convert(OmmRecord omm, ElementFormat format, TimeScale utc, java.time.Instant latestEpoch,
            ElementErrors errors) {
        int before = errors.count();
        for (var entry : omm.values().entrySet()) {
            String problem = TextRules.problem(entry.getValue().text());
            if (problem != null) {
                errors.add(omm.locate(entry.getKey()), problem);
            }
        }
        if (errors.count() > before) {
            return null;
        }
        expect(omm, "CENTER_NAME", Set.of("EARTH"), "SGP4 element sets are Earth-centred", errors);
        expect(omm, "REF_FRAME", Set.of("TEME"), "SGP4 element sets are in TEME", errors);
        expect(omm, "TIME_SYSTEM", Set.of("UTC"), "SGP4 element sets are in UTC", errors);
        expect(omm, "MEAN_ELEMENT_THEORY", SGP4_THEORIES,
                "only SGP4 mean elements are supported (SGP4-XP needs another propagator)", errors);

        Integer norad = integer(omm, "NORAD_CAT_ID", true, 1, TleLines.MAX_NORAD_ID, errors);
        LocalDateTime epoch = epoch(omm, errors);
        Double meanMotion = number(omm, "MEAN_MOTION", true, errors);
        if (meanMotion != null && (meanMotion <= 0 || meanMotion > TleLines.MAX_MEAN_MOTION)) {
            errors.add(omm.locate("MEAN_MOTION"), meanMotion + " rev/day is outside (0, " + TleLines.MAX_MEAN_MOTION + "]");
            meanMotion = null;
        }
        Double e = range(omm, "ECCENTRICITY", 0, 1, false, errors);
        Double i = range(omm, "INCLINATION", 0, 180, true, errors);
        Double raan = range(omm, "RA_OF_ASC_NODE", 0, 360, true, errors);
        Double argp = range(omm, "ARG_OF_PERICENTER", 0, 360, true, errors);
        Double m = range(omm, "MEAN_ANOMALY", 0, 360, true, errors);
        Double bstar = exponential(omm, "BSTAR", errors);
        Double ndot = number(omm, "MEAN_MOTION_DOT", true, errors);
        if (ndot != null && FastMath.abs(ndot) >= 1) {
            errors.add(omm.locate("MEAN_MOTION_DOT"), ndot + " is outside (-1, 1), the range a TLE can carry");
            ndot = null;
        }
        Double nddot = exponential(omm, "MEAN_MOTION_DDOT", errors);
        Integer ephemerisType = integer(omm, "EPHEMERIS_TYPE", false, 0, 9, errors);
        Integer elementSetNo = integer(omm, "ELEMENT_SET_NO", false, 0, 9999, errors);
        Integer revs = integer(omm, "REV_AT_EPOCH", false, 0, 99999, errors);
        String classification = omm.get("CLASSIFICATION_TYPE") == null ? "U" : omm.get("CLASSIFICATION_TYPE");
        if (!Set.of("U", "C", "S").contains(classification)) {
            errors.add(omm.locate("CLASSIFICATION_TYPE"), "'" + classification + "' is not U, C or S");
        }
        Matcher designator = designator(omm, errors);
        ObjectType type = null;
        if (omm.get("OBJECT_TYPE") != null) {
            type = ObjectType.parse(omm.get("OBJECT_TYPE")).orElse(null);
            if (type == null) {
                errors.add(omm.locate("OBJECT_TYPE"), "'" + omm.get("OBJECT_TYPE")
                        + "' is not PAYLOAD, ROCKET BODY, DEBRIS or UNKNOWN");
            }
        }
        String name = omm.get("OBJECT_NAME");
        if (name != null && name.length() > TleText.MAX_NAME) {
            errors.add(omm.locate("OBJECT_NAME"), "has more than " + TleText.MAX_NAME + " characters");
        }
        String owner = omm.get("OWNER") != null ? omm.get("OWNER") : omm.get("COUNTRY_CODE");
        if (errors.count() > before) {
            return null;
        }

        String[] lines;
        try {
            AbsoluteDate date = new AbsoluteDate(
                    new DateComponents(epoch.getYear(), epoch.getMonthValue(), epoch.getDayOfMonth()),
                    new TimeComponents(epoch.getHour(), epoch.getMinute(), epoch.getSecond() + epoch.getNano() / 1e9),
                    utc);
            TLE tle = new TLE(norad, classification.charAt(0),
                    designator == null ? 2000 : Integer.parseInt(designator.group(1)),
                    designator == null ? 0 : Integer.parseInt(designator.group(2)),
                    designator == null ? "" : designator.group(3),
                    ephemerisType == null ? 0 : ephemerisType, elementSetNo == null ? 0 : elementSetNo, date,
                    meanMotion * REV_PER_DAY_TO_RAD_PER_S,
                    // TLE line 1 carries n'/2 and n''/6 (rev/day², rev/day³); Orekit holds n' and n'' in rad/s², rad/s³
                    ndot * FastMath.PI / 1.86624e9, nddot * FastMath.PI / 5.3747712e13,
                    e, FastMath.toRadians(i), FastMath.toRadians(argp), FastMath.toRadians(raan), FastMath.toRadians(m),
                    revs == null ? 0 : revs, bstar, utc);
            lines = new String[] { tle.getLine1(), tle.getLine2() };
        } catch (OrekitException | IllegalArgumentException ex) {
            errors.add(omm.locate("elements"),
                    "cannot be written as a TLE: " + ex.getMessage());
            return null;
        }
        if (designator == null) {
            lines[0] = withChecksum(lines[0].substring(0, 9) + "        " + lines[0].substring(17));
        }
        ElementSet set = TleLines.parse(lines[0], lines[1], omm.where() + " (as TLE line 1)",
                omm.where() + " (as TLE line 2)", errors);
        if (set == null) {
            return null;
        }
        // the TLE holds 5 significant digits of B* and n''/6 (down to 1e-14) and 8 decimals of n'/2: a value the
        // generated line does not give back within that precision would be silently changed
        boolean held = heldBy(omm, "BSTAR", bstar, set.bstar(), 5e-5, 5e-15, errors)
                & heldBy(omm, "MEAN_MOTION_DDOT", nddot, set.meanMotionDdot(), 5e-5, 5e-15, errors)
                & heldBy(omm, "MEAN_MOTION_DOT", ndot, set.meanMotionDot(), 0, 5e-9, errors);
        if (!held) {
            return null;
        }
        if (latestEpoch != null && set.epoch().isAfter(latestEpoch)) {
            errors.add(omm.locate("EPOCH"), TleText.futureEpoch(set.epoch(), latestEpoch));
            return null;
        }
        return set.describedAs(name, type, owner, format);
    }

    private static String withChecksum(String line) {
        return line.substring(0, TleLines.LENGTH - 1) + TleLines.checksum(line);
    }

    private static void expect(OmmRecord omm, String keyword, Set<String> allowed, String why, ElementErrors errors) {
        String value = omm.get(keyword);
        if (value != null && !allowed.contains(value.toUpperCase(Locale.ROOT))) {
            errors.add(omm.locate(keyword), "'" + value + "' is not supported: " + why);
        }
    }

    private static Double number(OmmRecord omm, String keyword, boolean required, ElementErrors errors) {
        String value = omm.get(keyword);
        if (value == null) {
            if (required) {
                errors.add(omm.locate(keyword), "is required for SGP4 element sets");
            }
            return null;
        }
        if (!NUMBER.matcher(value).matches()) {
            errors.add(omm.locate(keyword), "'" + value + "' is not a number");
            return null;
        }
        double v = Double.parseDouble(value);
        if (!Double.isFinite(v)) {
            errors.add(omm.locate(keyword), "'" + value + "' is not a finite number a TLE can carry");
            return null;
        }
        return v;
    }

    /** A value of a TLE exponential field: finite and of magnitude below {@link #MAX_EXPONENTIAL}. */
    private static Double exponential(OmmRecord omm, String keyword, ElementErrors errors) {
        Double v = number(omm, keyword, true, errors);
        if (v != null && FastMath.abs(v) >= MAX_EXPONENTIAL) {
            errors.add(omm.locate(keyword), v + " is outside the range a TLE can carry (magnitude at most 0.99999e9)");
            return null;
        }
        return v;
    }

    /** Whether the TLE gives {@code wanted} back as {@code held} within its precision; an error naming it if not. */
    private static boolean heldBy(OmmRecord omm, String keyword, double wanted, double held, double relative,
            double absolute, ElementErrors errors) {
        if (FastMath.abs(held - wanted) <= (relative * FastMath.abs(wanted) + absolute) * 1.000001) {
            return true;
        }
        errors.add(omm.locate(keyword), wanted + " cannot be held in a TLE (it would read " + held + ")");
        return false;
    }

    private static Double range(OmmRecord omm, String keyword, double min, double max, boolean maxIncluded,
            ElementErrors errors) {
        Double v = number(omm, keyword, true, errors);
        if (v != null && (v < min || v > max || (!maxIncluded && v == max))) {
            errors.add(omm.locate(keyword), v + " is outside [" + (int) min + ", " + (int) max + (maxIncluded ? "]" : ")"));
            return null;
        }
        return v;
    }

    private static Integer integer(OmmRecord omm, String keyword, boolean required, int min, int max,
            ElementErrors errors) {
        String value = omm.get(keyword);
        if (value == null) {
            if (required) {
                errors.add(omm.locate(keyword), "is required");
            }
            return null;
        }
        if (!INTEGER.matcher(value).matches() || value.length() > 10) {
            errors.add(omm.locate(keyword), "'" + value + "' is not an integer");
            return null;
        }
        long v = Long.parseLong(value);
        if (v < min || v > max) {
            errors.add(omm.locate(keyword), v + " is outside [" + min + ", " + max + "]");
            return null;
        }
        return (int) v;
    }

    private static LocalDateTime epoch(OmmRecord omm, ElementErrors errors) {
        String value = omm.get("EPOCH");
        if (value == null) {
            errors.add(omm.locate("EPOCH"), "is required");
            return null;
        }
        try {
            LocalDateTime t;
            Matcher c = CALENDAR.matcher(value);
            Matcher o = ORDINAL.matcher(value);
            if (c.matches()) {
                t = LocalDate.of(Integer.parseInt(c.group(1)), Integer.parseInt(c.group(2)), Integer.parseInt(c.group(3)))
                        .atTime(Integer.parseInt(c.group(4)), Integer.parseInt(c.group(5))).plusNanos(nanos(c.group(6)));
            } else if (o.matches()) {
                t = LocalDate.ofYearDay(Integer.parseInt(o.group(1)), Integer.parseInt(o.group(2)))
                        .atTime(Integer.parseInt(o.group(3)), Integer.parseInt(o.group(4))).plusNanos(nanos(o.group(5)));
            } else {
                errors.add(omm.locate("EPOCH"), "'" + value + "' is not a UTC date-time like 2024-06-01T12:00:00.000000");
                return null;
            }
            if (t.getYear() < 1957 || t.getYear() > 2056) {
                errors.add(omm.locate("EPOCH"), "year " + t.getYear() + " is outside 1957-2056, the years a TLE can carry");
                return null;
            }
            return t;
        } catch (java.time.DateTimeException | ArithmeticException ex) {
            errors.add(omm.locate("EPOCH"), "'" + value + "' is not a valid date-time: " + ex.getMessage());
            return null;
        }
    }

    private static long nanos(String seconds) {
        double s = Double.parseDouble(seconds);
        if (s >= 60) {
            throw new java.time.DateTimeException("seconds must be below 60");
        }
        return Math.round(s * 1e9);
    }

    private static Matcher designator(OmmRecord omm, ElementErrors errors) {
        String value = omm.get("OBJECT_ID");
        if (value == null || value.equalsIgnoreCase("UNKNOWN")) {
            return null;
        }
        Matcher m = OBJECT_ID.matcher(value);
        if (!m.matches()) {
            errors.add(omm.locate("OBJECT_ID"), "'" + value + "' is not an international designator like 1998-067A");
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1957 || year > 2056) {
            errors.add(omm.locate("OBJECT_ID"), "launch year " + year + " is outside 1957-2056");
            return null;
        }
        return m;
    }
}
