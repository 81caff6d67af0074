package io.defensebuilders.billing.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;

/** Response bodies. */
public final class Views {

    private Views() {
    }

    @Schema(name = "Meter")
    public record MeterView(String key, String description, String eventMeter, Aggregation aggregation,
            String valueProperty, List<String> groupBy, Instant createdAt, Instant updatedAt) {

        public static MeterView of(Meter m) {
            return new MeterView(m.key(), m.description(), m.eventMeter(), m.aggregation(),
                    m.valueProperty() == null ? null : m.valueProperty().name(), m.groupBy(), m.createdAt(), m.updatedAt());
        }
    }

}
