package io.defensebuilders.billing.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.WindowSize;

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

    @Schema(name = "UsageReport", description = "A meter's aggregated usage of one tenant over [from, to)")
    public record UsageReport(String meter, Aggregation aggregation, String tenant, Instant from, Instant to,
            @Schema(description = "Absent when the whole range is one window") WindowSize windowSize,
            List<String> groupBy,
            @Schema(description = "One row per window and group that has usage, in window order") List<UsageRow> data) {
    }

    @Schema(name = "UsageRow")
    public record UsageRow(Instant windowStart, Instant windowEnd,
            @Schema(description = "The group-by values of this row; null where events lacked the attribute") Map<String, String> groupBy,
            @Schema(description = "Exact decimal") BigDecimal value) {
    }
}
