package io.defensebuilders.billing.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.WindowSize;

/** A meter's usage report: what UsageService answers and the API returns as it is. */
public final class UsageReports {

    private UsageReports() {
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
