package io.defensebuilders.analytics.repository;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

import io.defensebuilders.analytics.StatsQuery;
import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.platform.sql.DatabaseProbe;
import io.defensebuilders.platform.sql.DatabaseUnavailableException;

/**
 * Answers a {@link StatsQuery} from one rollup table with one SQL statement. Only validated names reach the SQL
 * text (columns, {@code date_trunc} fields, data paths matching {@code [A-Za-z0-9_.-]+}); every value is bound.
 */
@ApplicationScoped
public class StatsRepository {

    private final DataSource dataSource;
    private final DatabaseProbe database;
    private final int timeoutSeconds;

    public StatsRepository(DataSource dataSource, @Readiness DatabaseProbe database, AnalyticsConfig config) {
        this.dataSource = dataSource;
        this.database = database;
        this.timeoutSeconds = (int) Math.max(1, config.query().timeout().toSeconds());
    }

    /** A page of rows and the number of rows of all pages. */
    public record Page(List<Row> rows, long totalRows) {
    }

    /** One result row: dimension values (strings, or null), then metric values, in the query's order. */
    public record Row(List<String> dimensions, List<Number> metrics) {
    }

    /**
     * Runs the query. A database that answers gets {@code dbp.analytics.query.timeout} to do so (then SQLSTATE 57014); one
     * that stopped answering (a hung process, a partition: JDBC would wait on the socket for ever) a second more, and
     * one the readiness probe already finds unreachable is not asked at all: {@link DatabaseUnavailableException}.
     */
    public Page query(StatsQuery q) throws SQLException {
        if (!database.reachable()) {
            throw new DatabaseUnavailableException("the analytics database does not answer; try again shortly");
        }
        List<Object> params = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT ");
        List<String> groupBy = new ArrayList<>();
        int pos = 1;
        for (StatsQuery.Dimension d : q.dimensions()) {
            select.append(expression(q, d)).append(" AS d").append(pos).append(", ");
            groupBy.add(Integer.toString(pos));
            pos++;
        }
        select.append(
                "coalesce(sum(events), 0) AS events, coalesce(sum(value_sum), 0) AS value, count(*) OVER () AS total_rows");
        StringBuilder sql = new StringBuilder(select).append(" FROM ").append(q.granularity().table())
                .append(" WHERE bucket >= ? AND bucket < ?");
        params.add(q.from().atOffset(ZoneOffset.UTC));
        params.add(q.to().atOffset(ZoneOffset.UTC));
        if (q.tenant() != null) {
            sql.append(" AND tenant = ?");
            params.add(q.tenant());
        }
        for (StatsQuery.Filter f : q.filters()) {
            String e = expression(q, f.dimension());
            switch (f.operator()) {
                case "is" -> {
                    sql.append(" AND ").append(e).append(" = ANY (?)");
                    params.add(f.values().toArray(String[]::new));
                }
                case "is_not" -> {
                    sql.append(" AND (").append(e).append(" IS NULL OR NOT ").append(e).append(" = ANY (?))");
                    params.add(f.values().toArray(String[]::new));
                }
                default -> {
                    sql.append(" AND ").append(e).append(" ILIKE ANY (?)");
                    params.add(f.values().stream().map(v -> "%" + v.replace("\\", "\\\\").replace("%", "\\%")
                            .replace("_", "\\_") + "%").toArray(String[]::new));
                }
            }
        }
        if (!groupBy.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", groupBy));
        }
        List<String> order = new ArrayList<>();
        for (StatsQuery.Order o : q.orderBy()) {
            order.add(column(q, o.key()) + (o.ascending() ? " ASC" : " DESC") + " NULLS LAST");
        }
        // a stable order across pages: the dimensions break every tie
        for (int i = 1; i <= q.dimensions().size(); i++) {
            order.add("d" + i + " ASC NULLS LAST");
        }
        sql.append(" ORDER BY ").append(String.join(", ", order)).append(" LIMIT ? OFFSET ?");
        params.add(q.limit());
        params.add(q.offset());

        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            st.setQueryTimeout(timeoutSeconds);
            // Agroal restores the connection's own network timeout when it goes back to the pool
            c.setNetworkTimeout(Runnable::run, (timeoutSeconds + 1) * 1000);
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof String[] array) {
                    st.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    st.setObject(i + 1, p);
                }
            }
            List<Row> rows = new ArrayList<>();
            long total = 0;
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    List<String> dims = new ArrayList<>(q.dimensions().size());
                    for (int i = 0; i < q.dimensions().size(); i++) {
                        StatsQuery.Dimension d = q.dimensions().get(i);
                        if (d.time() != null) {
                            OffsetDateTime t = rs.getObject(i + 1, OffsetDateTime.class);
                            dims.add(t == null ? null : t.toInstant().toString());
                        } else {
                            dims.add(rs.getString(i + 1));
                        }
                    }
                    List<Number> metrics = new ArrayList<>(q.metrics().size());
                    for (String m : q.metrics()) {
                        metrics.add(m.equals("events") ? rs.getLong("events") : plain(rs.getBigDecimal("value")));
                    }
                    total = rs.getLong("total_rows");
                    rows.add(new Row(dims, metrics));
                }
            }
            if (rows.isEmpty() && q.offset() > 0) {
                total = -1; // unknown past the end; the caller reports the page as empty
            }
            return new Page(rows, total);
        }
    }

    private static BigDecimal plain(BigDecimal d) {
        if (d == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static String column(StatsQuery q, String key) {
        if (StatsQuery.METRICS.contains(key)) {
            return key;
        }
        for (int i = 0; i < q.dimensions().size(); i++) {
            if (q.dimensions().get(i).name().equals(key)) {
                return "d" + (i + 1);
            }
        }
        throw new IllegalArgumentException(key);
    }

    private static String expression(StatsQuery q, StatsQuery.Dimension d) {
        if (d.time() != null) {
            return d.time() == q.granularity() ? "bucket"
                    : "(date_trunc('" + d.time().field() + "', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
        }
        if (d.column() != null) {
            return d.column();
        }
        if (!d.dataPath().matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid data path");
        }
        return "(dims ->> '" + d.dataPath() + "')";
    }
}
