package io.defensebuilders.analytics.service;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The query API's response shapes. */
public final class StatsResults {

    private StatsResults() {
    }

    @Schema(description = "A page of query results")
    public record QueryResult(
            @Schema(description = "One entry per group, in order") List<Result> results,
            @Schema(description = "How the query was answered") Meta meta,
            @Schema(description = "The query as understood, relative ranges resolved") Query query) {
    }

    @Schema(description = "One group: its dimension values (in the order asked; time as RFC 3339) and its metrics")
    public record Result(List<String> dimensions, List<Number> metrics) {
    }

    public record Meta(
            @Schema(description = "The tenant reported on, or \"*\" for the whole platform") String tenant,
            @Schema(description = "The rollup that answered: minute, hour or day") String rollup,
            @JsonProperty("total_rows") @Schema(description = "Rows over all pages (-1 when an offset ran past the end)") long totalRows) {
    }

    public record Query(List<String> metrics, @JsonProperty("date_range") List<Instant> dateRange,
            List<String> dimensions, List<List<Object>> filters, @JsonProperty("order_by") List<List<String>> orderBy,
            Pagination pagination) {
    }

    public record Pagination(int limit, int offset) {
    }
}
