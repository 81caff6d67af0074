package io.defensebuilders.platform.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import io.defensebuilders.platform.problem.ProblemException;

/**
 * Request values a service reads from text itself (path and query parameters, free-text fields): each one is what it
 * should be or a 400 problem naming the field, so nothing PostgreSQL or the JDK would choke on (a NUL, a date past
 * year 9999, a number past a long) ever reaches them. The JSON body's values get the same rules from
 * {@link StrictJson}.
 */
public final class Params {

    /** Earliest instant a date may name: PostgreSQL, CCSDS and every client handle the years 0001-9999. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** Instants must be before this. */
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

    private Params() {
    }

    /** Optional free text: null when blank, else trimmed; 400 when it breaks {@link TextRules} or exceeds {@code max}. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String problem = TextRules.problem(value);
        if (problem != null) {
            throw ProblemException.invalid(field, problem);
        }
        String t = value.trim();
        if (t.length() > max) {
            throw ProblemException.invalid(field, "has more than " + max + " characters");
        }
        return t;
    }

    /** Required free text, as {@link #text}. */
    public static String required(String field, String value, int max) {
        String t = text(field, value, max);
        if (t == null) {
            throw ProblemException.invalid(field, "is required");
        }
        return t;
    }

    /** An optional ISO-8601 instant with an offset ({@code 2026-01-01T00:00:00Z}), in the years 0001-9999. */
    public static Instant instant(String field, String value) {
        String t = text(field, value, 64);
        if (t == null) {
            return null;
        }
        try {
            return inRange(field, OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T00:00:00Z");
        }
    }

    /** {@code t} itself when it lies in the years 0001-9999; 400 naming the field otherwise. */
    public static Instant inRange(String field, Instant t) {
        if (t != null && (t.isBefore(EARLIEST) || !t.isBefore(END))) {
            throw ProblemException.invalid(field, "must lie in the years 0001 to 9999");
        }
        return t;
    }

    /** An optional integer from {@code min} to {@code max}: null when absent or blank, 400 naming the field else. */
    public static Integer integer(String field, String value, int min, int max) {
        String t = text(field, value, 16);
        if (t == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ProblemException.invalid(field, "must be an integer from " + min + " to " + max);
    }

    /** A UUID from a path or query parameter. */
    public static UUID uuid(String field, String value) {
        if (value != null && value.length() == 36) {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                // below
            }
        }
        throw ProblemException.invalid(field, "must be a UUID");
    }
}
