package io.defensebuilders.billing;

import java.time.Instant;
import java.util.List;

/**
 * A meter: which {@code usage.v1} events it matches ({@code eventMeter}, the event's {@code meter} field), how it
 * aggregates them, from which value, grouped by which attributes. Meters form one platform-wide catalog.
 *
 * @param id internal id; aggregates point at it, so a retired meter's key can be reused
 * @param key the name queries use, unique among live meters
 * @param description for humans
 * @param eventMeter the {@code meter} value of the events it aggregates
 * @param aggregation how values fold
 * @param valueProperty where the value is read; null for COUNT
 * @param groupBy attribute keys that split the aggregates
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Meter(long id, String key, String description, String eventMeter, Aggregation aggregation,
        ValueProperty valueProperty, List<String> groupBy, Instant createdAt, Instant updatedAt) {

    public Meter {
        groupBy = List.copyOf(groupBy);
    }
}
