package io.defensebuilders.orbital.propagation;

import java.util.Locale;
import java.util.Optional;

/** The frames states can be given in. SGP4 works in TEME; the others are rotations of it. */
public enum OutputFrame {
    /** True equator, mean equinox: SGP4's own frame, no transformation. */
    TEME,
    /** Geocentric celestial reference frame (IAU 2006/2000A, IERS 2010 conventions). */
    GCRF,
    /** International terrestrial reference frame, Earth-fixed (IERS 2010 conventions). */
    ITRF;

    public static Optional<OutputFrame> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(TEME);
        }
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
