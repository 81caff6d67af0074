package io.defensebuilders.analytics;

import java.time.Instant;
import java.util.List;

/**
 * A validated stats query, ready for SQL: every name is one of the known metrics and dimensions.
 *
 * @param tenant the tenant queried, or null for the whole platform
 * @param metrics {@code events} and/or {@code value}
 * @param from start, inclusive
 * @param to end, exclusive
 * @param dimensions dimensions in the order asked
 * @param filters filters, all of which must hold
 * @param orderBy sort keys (a metric or a listed dimension), in priority order
 * @param limit page size
 * @param offset rows skipped
 * @param granularity the rollup table that answers it
 */
public record StatsQuery(String tenant, List<String> metrics, Instant from, Instant to, List<Dimension> dimensions,
        List<Filter> filters, List<Order> orderBy, int limit, int offset, Granularity granularity) {

    public static final List<String> METRICS = List.of("events", "value");

    /** A dimension: {@code time:<granularity>}, {@code event:type}, {@code event:tenant} or {@code data:<path>}. */
    public record Dimension(String name, Granularity time, String column, String dataPath) {
    }

    /** {@code [operator, dimension, values]}. */
    public record Filter(String operator, Dimension dimension, List<String> values) {
    }

    /** A sort key: a metric or a dimension's name, ascending or not. */
    public record Order(String key, boolean ascending) {
    }
}
