package io.defensebuilders.orbital.service;

import io.defensebuilders.platform.problem.ProblemException;

/**
 * Orbital's own request values read from text; the generic ones (free text, dates, UUIDs) are platform-common's
 * {@link io.defensebuilders.platform.web.Params}.
 */
public final class Inputs {

    private Inputs() {
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
}
