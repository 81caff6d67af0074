package io.defensebuilders.orbital;

import java.util.Locale;
import java.util.Optional;

/** The text formats element sets arrive in, by the name used in the {@code format} parameter and in events. */
public enum ElementFormat {
    /** NORAD two-line element sets, with or without a name line (3LE). */
    TLE("tle"),
    /** CCSDS Orbit Mean-elements Message, keyword = value notation. */
    OMM_KVN("omm-kvn"),
    /** CCSDS OMM in its XML schema (an {@code <omm>} or an {@code <ndm>} of them). */
    OMM_XML("omm-xml"),
    /** OMM keywords as JSON objects (one, or an array), the form CelesTrak and space-track serve. */
    OMM_JSON("omm-json");

    private final String wire;

    ElementFormat(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ElementFormat> fromWire(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ElementFormat f : values()) {
            if (f.wire.equals(t)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
