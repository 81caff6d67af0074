package io.defensebuilders.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The categories an SDK may be filed under; the catalog's browse facets. */
public enum Category {
    GEOSPATIAL,
    C2,
    DATA,
    ML,
    SPACE,
    COMMS,
    CYBER,
    SENSORS,
    SIMULATION,
    AUTONOMY,
    EDGE,
    DEVTOOLS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Category> fromId(String id) {
        return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Category::id).collect(Collectors.joining(", "));
    }
}
