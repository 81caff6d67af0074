package io.defensebuilders.orbital;

import java.util.Locale;
import java.util.Optional;

/** What a catalogued object is, as space-track and CelesTrak classify it. */
public enum ObjectType {
    PAYLOAD,
    ROCKET_BODY,
    DEBRIS,
    UNKNOWN;

    /** Reads {@code PAYLOAD}, {@code ROCKET BODY} / {@code ROCKET_BODY} / {@code R/B}, {@code DEBRIS}, {@code UNKNOWN}. */
    public static Optional<ObjectType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        return switch (t) {
            case "PAYLOAD" -> Optional.of(PAYLOAD);
            case "ROCKET_BODY", "R/B" -> Optional.of(ROCKET_BODY);
            case "DEBRIS", "DEB" -> Optional.of(DEBRIS);
            case "UNKNOWN", "TBA" -> Optional.of(UNKNOWN);
            default -> Optional.empty();
        };
    }

    /**
     * The type an object name implies by the catalog's naming conventions ({@code SL-6 R/B(2)}, {@code DELTA 1 DEB}),
     * or empty when the name says nothing about it (a payload's name does not say it is a payload).
     */
    public static Optional<ObjectType> impliedByName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = " " + name.toUpperCase(Locale.ROOT) + " ";
        if (n.contains(" R/B")) {
            return Optional.of(ROCKET_BODY);
        }
        if (n.contains(" DEB ") || n.contains(" DEB(") || n.contains(" DEBRIS ")) {
            return Optional.of(DEBRIS);
        }
        return Optional.empty();
    }
}
