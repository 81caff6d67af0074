package io.defensebuilders.billing.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.WindowSize;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Rolls minute buckets up into windows. COUNT and SUM add the buckets, MAX takes the largest, LATEST the value with
 * the latest (time, source, id), and UNIQUE_COUNT counts the distinct values over each window's minutes together,
 * so a value seen in many minutes counts once.
 */
@ApplicationScoped
public class UsageRepository {

    /** One aggregated row: its window start (null for the whole range), group values and value. */
    public record Aggregate(Instant windowStart, Map<String, String> groupValues, BigDecimal value) {
    }

    public Uni<List<Aggregate>> aggregate(SqlClient c, Meter meter, String tenant, Instant from, Instant to,
            WindowSize window, List<String> groupBy) {
        List<Object> params = new ArrayList<>(List.of(meter.id(), tenant, from, to));
        List<String> columns = new ArrayList<>();
        if (window != null) {
            columns.add(window == WindowSize.MINUTE ? "minute" : "date_trunc('" + window.sqlField() + "', minute, 'UTC')");
        }
        for (String key : groupBy) {
            params.add(key);
            columns.add("group_values ->> $" + params.size());
        }
        String table = meter.aggregation() == Aggregation.UNIQUE_COUNT ? "usage_unique_value" : "usage_bucket";
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String column : columns) {
            sql.append(column).append(", ");
        }
        sql.append(valueExpression(meter.aggregation())).append(" AS value FROM ").append(table)
                .append(" WHERE meter_id = $1 AND tenant = $2 AND minute >= $3 AND minute < $4");
        if (!columns.isEmpty()) {
            StringBuilder ordinals = new StringBuilder();
            for (int i = 1; i <= columns.size(); i++) {
                ordinals.append(i == 1 ? "" : ", ").append(i);
            }
            sql.append(" GROUP BY ").append(ordinals).append(" ORDER BY ").append(ordinals);
        } else {
            // an aggregate over no rows still answers one row (with a null value): only report usage that exists
            sql.append(" HAVING count(*) > 0");
        }
        int offset = window != null ? 1 : 0;
        return c.preparedQuery(sql.toString()).execute(Sql.tuple(params.toArray())).map(rows -> {
            List<Aggregate> out = new ArrayList<>();
            for (Row r : rows) {
                Map<String, String> groups = new LinkedHashMap<>();
                for (int i = 0; i < groupBy.size(); i++) {
                    groups.put(groupBy.get(i), r.getString(offset + i));
                }
                Instant start = window != null ? r.getOffsetDateTime(0).toInstant() : null;
                out.add(new Aggregate(start, groups, r.getBigDecimal(columns.size())));
            }
            return out;
        });
    }

    private static String valueExpression(Aggregation aggregation) {
        return switch (aggregation) {
            case COUNT -> "sum(event_count)::numeric";
            case SUM -> "sum(value_sum)";
            case MAX -> "max(value_max)";
            case LATEST -> "(array_agg(latest_value ORDER BY latest_time DESC, latest_source DESC, latest_event_id DESC)"
                    + " FILTER (WHERE latest_time IS NOT NULL))[1]";
            case UNIQUE_COUNT -> "count(DISTINCT value)::numeric";
        };
    }
}
