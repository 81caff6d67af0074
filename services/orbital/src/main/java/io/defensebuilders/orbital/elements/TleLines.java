package io.defensebuilders.orbital.elements;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;

/**
 * Validates a two-line element set column by column (the NORAD format: fixed columns, checksum modulo 10, implied
 * decimal points) and range by range, and reads its values. Every problem is reported with the line's location and
 * the field's name and columns; nothing is thrown, so one pass reports all of them.
 */
public final class TleLines {

    /** Characters in a TLE line. */
    public static final int LENGTH = 69;
    /** The largest catalog number a TLE can carry (Alpha-5: Z9999). */
    public static final int MAX_NORAD_ID = 339_999;
    /** Mean motions above this (periods under 72 minutes) are not orbits. */
    public static final double MAX_MEAN_MOTION = 20.0;

    private static final Pattern SATNUM = Pattern.compile("[0-9A-HJ-NP-Z ][ 0-9]{3}[0-9]");
    private static final Pattern DESIGNATOR = Pattern.compile("\\d{5}[A-Z][A-Z ]{2}| {8}");
    private static final Pattern EPOCH = Pattern.compile("\\d{2}[ 0-9]{2}\\d\\.\\d{8}");
    private static final Pattern NDOT = Pattern.compile("[ 0+-]\\.\\d{8}| [ +-]\\.\\d{7}");
    private static final Pattern EXPONENTIAL = Pattern.compile("[ +-][ 0-9]{5}[+-][ 0-9]");
    private static final Pattern INTEGER = Pattern.compile(" *\\d*");
    private static final Pattern ANGLE = Pattern.compile(" *\\d{1,3}\\.\\d{4}");
    private static final Pattern ECCENTRICITY = Pattern.compile("\\d{7}");
    private static final Pattern MEAN_MOTION = Pattern.compile(" *\\d{1,2}\\.\\d{8}");

    private TleLines() {
    }

    /**
     * Validates the lines and returns their element set, or null when anything is wrong (then {@code errors} says
     * what). {@code where1}/{@code where2} locate the lines in the input ({@code line 3}, {@code tle.line1}).
     */
    public static ElementSet parse(String line1, String line2, String where1, String where2, ElementErrors errors) {
        int before = errors.count();
        Line l1 = new Line(line1, where1, errors);
        Line l2 = new Line(line2, where2, errors);
        if (!l1.hasLength() || !l2.hasLength()) {
            return null;
        }
        l1.expect(0, '1', "lineNumber", "a TLE's first line starts with 1");
        l2.expect(0, '2', "lineNumber", "a TLE's second line starts with 2");
        for (int c : new int[] { 1, 8, 17, 32, 43, 52, 61, 63 }) {
            l1.expect(c, ' ', "format", "column " + (c + 1) + " must be blank");
        }
        for (int c : new int[] { 1, 7, 16, 25, 33, 42, 51 }) {
            l2.expect(c, ' ', "format", "column " + (c + 1) + " must be blank");
        }

        Integer norad1 = satelliteNumber(l1);
        Integer norad2 = satelliteNumber(l2);
        if (norad1 != null && norad2 != null && !norad1.equals(norad2)) {
            errors.add(where2 + ": noradId", "columns 3-7: satellite number " + norad2
                    + " differs from line 1's " + norad1);
        }
        String classification = l1.field(7, 8, "classification", Pattern.compile("[UCS]"), "U, C or S");
        String designator = l1.field(9, 17, "intlDesignator", DESIGNATOR,
                "launch year (2 digits), launch number (3 digits) and piece (1-3 letters), or blank");
        Instant epoch = epoch(l1);
        Double ndot = l1.decimal(33, 43, "meanMotionDot", NDOT, "a signed decimal like ' .00000023' or '-.00000084'");
        Double nddot = l1.exponential(44, 52, "meanMotionDdot");
        Double bstar = l1.exponential(53, 61, "bstar");
        String ephemeris = l1.field(62, 63, "ephemerisType", Pattern.compile("[ 0-9]"), "one digit or blank");
        String elementNo = l1.field(64, 68, "elementSetNo", INTEGER, "a right-justified number");
        l1.checksum();

        Double inclination = l2.range(l2.decimal(8, 16, "inclination", ANGLE, "degrees with 4 decimals"), 8, 16,
                "inclination", 0, 180);
        Double raan = l2.range(l2.decimal(17, 25, "raOfAscNode", ANGLE, "degrees with 4 decimals"), 17, 25,
                "raOfAscNode", 0, 360);
        String eccDigits = l2.field(26, 33, "eccentricity", ECCENTRICITY, "7 digits, decimal point assumed");
        Double argp = l2.range(l2.decimal(34, 42, "argOfPericenter", ANGLE, "degrees with 4 decimals"), 34, 42,
                "argOfPericenter", 0, 360);
        Double meanAnomaly = l2.range(l2.decimal(43, 51, "meanAnomaly", ANGLE, "degrees with 4 decimals"), 43, 51,
                "meanAnomaly", 0, 360);
        Double meanMotion = l2.decimal(52, 63, "meanMotion", MEAN_MOTION, "revolutions per day with 8 decimals");
        if (meanMotion != null && (meanMotion <= 0 || meanMotion > MAX_MEAN_MOTION)) {
            l2.error("meanMotion", 52, 63, meanMotion + " rev/day is outside (0, " + MAX_MEAN_MOTION + "]");
        }
        String revs = l2.field(63, 68, "revAtEpoch", INTEGER, "a right-justified number");
        l2.checksum();

        if (errors.count() > before) {
            return null;
        }
        return new ElementSet(norad1, null, designator(designator), classification, epoch, meanMotion,
                Double.parseDouble("0." + eccDigits), inclination, raan, argp, meanAnomaly, bstar, ndot, nddot,
                ephemeris.isBlank() ? 0 : Integer.parseInt(ephemeris), integer(elementNo), integer(revs), line1, line2,
                null, null, ElementFormat.TLE);
    }

    /** The checksum digit of a line: the sum of its first 68 characters' digits, minus signs counting 1, modulo 10. */
    public static int checksum(CharSequence line) {
        int sum = 0;
        for (int i = 0; i < LENGTH - 1 && i < line.length(); i++) {
            char c = line.charAt(i);
            if (c >= '0' && c <= '9') {
                sum += c - '0';
            } else if (c == '-') {
                sum++;
            }
        }
        return sum % 10;
    }

    private static Integer satelliteNumber(Line l) {
        String s = l.field(2, 7, "noradId", SATNUM, "a 5-digit catalog number or Alpha-5 (a letter, not I or O, and 4 digits)");
        if (s == null) {
            return null;
        }
        char first = s.charAt(0);
        int number;
        if (Character.isLetter(first)) {
            int alpha = first - 'A' + 10 - (first > 'O' ? 2 : first > 'I' ? 1 : 0);
            number = alpha * 10_000 + Integer.parseInt(s.substring(1));
        } else {
            number = Integer.parseInt(s.trim());
        }
        if (number < 1 || number > MAX_NORAD_ID) {
            l.error("noradId", 2, 7, number + " is not a catalog number (1 to " + MAX_NORAD_ID + ")");
            return null;
        }
        return number;
    }

    private static Instant epoch(Line l) {
        String s = l.field(18, 32, "epoch", EPOCH, "two-digit year, day of year and 8 decimals (YYDDD.DDDDDDDD)");
        if (s == null) {
            return null;
        }
        int yy = Integer.parseInt(s.substring(0, 2));
        int year = yy < 57 ? 2000 + yy : 1900 + yy;
        int day = Integer.parseInt(s.substring(2, 5).trim());
        if (day < 1 || day > Year.of(year).length()) {
            l.error("epoch", 21, 24, "day " + day + " is not a day of " + year);
            return null;
        }
        // 8 decimals of a day are whole multiples of 864 microseconds: the epoch is exact in microseconds
        long fraction = Long.parseLong(s.substring(6));
        return LocalDate.ofYearDay(year, day).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusNanos(fraction * 864_000L);
    }

    private static String designator(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        int yy = Integer.parseInt(s.substring(0, 2));
        return (yy < 57 ? 2000 + yy : 1900 + yy) + "-" + s.substring(2, 5) + s.substring(5).trim();
    }

    private static int integer(String s) {
        return s == null || s.isBlank() ? 0 : Integer.parseInt(s.trim());
    }

    /** One line under validation: field extraction that records what is wrong instead of throwing. */
    private static final class Line {
        final String text;
        final String where;
        final ElementErrors errors;

        Line(String text, String where, ElementErrors errors) {
            this.text = text == null ? "" : text;
            this.where = where;
            this.errors = errors;
        }

        boolean hasLength() {
            if (text.length() != LENGTH) {
                errors.add(where + ": length", "a TLE line has " + LENGTH + " characters, this one has " + text.length());
                return false;
            }
            return true;
        }

        void expect(int index, char c, String field, String message) {
            if (text.charAt(index) != c) {
                errors.add(where + ": " + field, message + " (found '" + text.charAt(index) + "')");
            }
        }

        void error(String field, int from, int to, String message) {
            String columns = to - from == 1 ? "column " + (from + 1) : "columns " + (from + 1) + "-" + to;
            errors.add(where + ": " + field, columns + ": " + message);
        }

        String field(int from, int to, String field, Pattern pattern, String expected) {
            String s = text.substring(from, to);
            if (!pattern.matcher(s).matches()) {
                error(field, from, to, "'" + s + "' is not " + expected);
                return null;
            }
            return s;
        }

        Double decimal(int from, int to, String field, Pattern pattern, String expected) {
            String s = field(from, to, field, pattern, expected);
            return s == null ? null : Double.parseDouble(s.trim());
        }

        /** The TLE's exponential notation: sign, 5 mantissa digits with an implied leading decimal point, exponent. */
        Double exponential(int from, int to, String field) {
            String s = field(from, to, field, EXPONENTIAL, "an exponential like ' 28098-4' (= 0.28098e-4)");
            if (s == null) {
                return null;
            }
            return Double.parseDouble((s.charAt(0) == '-' ? "-" : "") + "0." + s.substring(1, 6).replace(' ', '0') + "e"
                    + s.charAt(6) + s.substring(7).replace(' ', '0'));
        }

        Double range(Double value, int from, int to, String field, double min, double max) {
            if (value != null && (value < min || value > max)) {
                error(field, from, to, value + " is outside [" + (int) min + ", " + (int) max + "]");
                return null;
            }
            return value;
        }

        void checksum() {
            char c = text.charAt(LENGTH - 1);
            int expected = TleLines.checksum(text);
            if (c < '0' || c > '9') {
                error("checksum", 68, 69, "'" + c + "' is not a digit; the checksum of this line is " + expected);
            } else if (c - '0' != expected) {
                error("checksum", 68, 69, "is " + c + " but the line's checksum is " + expected);
            }
        }
    }
}
