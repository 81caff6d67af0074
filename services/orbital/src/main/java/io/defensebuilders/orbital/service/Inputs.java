package io.defensebuilders.orbital.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import io.defensebuilders.orbital.elements.Characters;
import io.defensebuilders.platform.problem.ProblemException;

/**
 * Request values read from text (path and query parameters, free-text fields): each one a 400 problem naming the
 * field when it is not what it should be, so nothing PostgreSQL or the JDK would choke on (NUL, out-of-range dates
 * and numbers) ever reaches them.
 */
public final class Inputs {

    /** Earliest instant a date parameter may name (PostgreSQL and CCSDS both handle years 0001-9999). */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** Instants must be before this. */
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

    private Inputs() {
    }

    /** Optional free text: null when blank, else trimmed; 400 when it holds a NUL or is longer than {@code max}. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String problem = Characters.problem(value);
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

    /** An optional ISO-8601 instant with an offset, in years 0001-9999. */
    public static Instant instant(String field, String value) {
        String t = text(field, value, 64);
        if (t == null) {
            return null;
        }
        try {
            return inRange(field, OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 date-time with an offset, e.g. 2024-06-01T00:00:00Z");
        }
    }

    /** {@code t} itself when it lies in years 0001-9999; 400 naming the field otherwise. */
    public static Instant inRange(String field, Instant t) {
        if (t != null && (t.isBefore(EARLIEST) || !t.isBefore(END))) {
            throw ProblemException.invalid(field, "must lie in the years 0001 to 9999");
        }
        return t;
    }

    /** A NORAD catalog number from a path or query parameter: 1 to 339999. */
    public static int noradId(String field, String value) {
        if (value != null && value.length() <= 7) {
            try {
                int id = Integer.parseInt(value.trim());
                if (id >= 1 && id <= 339_999) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw ProblemException.invalid(field, "must be a NORAD catalog number from 1 to 339999");
    }

    /** A UUID from a path parameter. */
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
