package io.defensebuilders.billing.repository;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.BatchAggregates;
import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.ValueProperty;
import io.defensebuilders.platform.events.DedupLedger;
import io.defensebuilders.platform.events.EventKey;

/**
 * The ingest side's SQL, over JDBC on the consumer's own thread: every statement is set-based (one round trip per
 * table and batch, arrays bound as parameters and expanded with {@code unnest}), and none commits; the caller owns
 * the transaction.
 */
@ApplicationScoped
public class MeteringStore {

    private static final DedupLedger LEDGER = new DedupLedger("usage_dedup");

    private static final String UPSERT_BUCKETS = """
            INSERT INTO usage_bucket AS b (meter_id, tenant, minute, group_values, event_count, value_sum, value_max,
                                           latest_value, latest_time, latest_source, latest_event_id)
            SELECT m, t, mi::timestamptz, g::jsonb, c, s::numeric, x::numeric, lv::numeric, lt::timestamptz, ls, li
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[]) AS u(m, t, mi, g, c, s, x, lv, lt, ls, li)
            ON CONFLICT (meter_id, tenant, minute, group_values) DO UPDATE SET
                event_count = b.event_count + EXCLUDED.event_count,
                value_sum = CASE WHEN b.value_sum IS NULL THEN EXCLUDED.value_sum
                                 WHEN EXCLUDED.value_sum IS NULL THEN b.value_sum
                                 ELSE b.value_sum + EXCLUDED.value_sum END,
                value_max = greatest(b.value_max, EXCLUDED.value_max),
                latest_value = CASE WHEN %1$s THEN EXCLUDED.latest_value ELSE b.latest_value END,
                latest_time = CASE WHEN %1$s THEN EXCLUDED.latest_time ELSE b.latest_time END,
                latest_source = CASE WHEN %1$s THEN EXCLUDED.latest_source ELSE b.latest_source END,
                latest_event_id = CASE WHEN %1$s THEN EXCLUDED.latest_event_id ELSE b.latest_event_id END"""
            .formatted("(b.latest_time IS NULL OR (EXCLUDED.latest_time, EXCLUDED.latest_source, EXCLUDED.latest_event_id)"
                    + " > (b.latest_time, b.latest_source, b.latest_event_id))");

    private static final String INSERT_DISTINCT = """
            INSERT INTO usage_unique_value (meter_id, tenant, minute, group_values, value)
            SELECT m, t, mi::timestamptz, g::jsonb, v
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(m, t, mi, g, v)
            ON CONFLICT DO NOTHING""";

    private static final String PURGE = """
            DELETE FROM usage_dedup WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM usage_dedup WHERE received_at < now() - make_interval(days => ?) LIMIT ?))""";

    /** The live meters, as the transaction sees them. */
    public List<Meter> liveMeters(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id, key, description, event_meter, aggregation,"
                + " value_property, group_by, created_at, updated_at FROM meter WHERE deleted_at IS NULL");
                ResultSet rs = st.executeQuery()) {
            List<Meter> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Meter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Aggregation.valueOf(rs.getString(5)), ValueProperty.parse(rs.getString(6)).orElse(null),
                        List.of((String[]) rs.getArray(7).getArray()), rs.getObject(8, java.time.OffsetDateTime.class)
                                .toInstant(),
                        rs.getObject(9, java.time.OffsetDateTime.class).toInstant()));
            }
            return out;
        }
    }

    /**
     * Records the keys in the deduplication ledger and answers those that were not there yet: the events seen for
     * the first time ({@link DedupLedger}).
     */
    public Set<EventKey> insertNew(Connection c, List<EventKey> sortedKeys) throws SQLException {
        return LEDGER.insertNew(c, sortedKeys);
    }

    /** Adds a batch's bucket deltas to the stored buckets. */
    public void upsertBuckets(Connection c, Map<BatchAggregates.BucketKey, BatchAggregates.Bucket> buckets)
            throws SQLException {
        if (buckets.isEmpty()) {
            return;
        }
        int n = buckets.size();
        Long[] meters = new Long[n];
        Long[] counts = new Long[n];
        String[][] text = new String[9][n];
        int i = 0;
        for (var e : buckets.entrySet()) {
            BatchAggregates.BucketKey k = e.getKey();
            BatchAggregates.Bucket b = e.getValue();
            meters[i] = k.meterId();
            counts[i] = b.count();
            text[0][i] = k.tenant();
            text[1][i] = k.minute().toString();
            text[2][i] = k.groupValues();
            text[3][i] = plain(b.sum());
            text[4][i] = plain(b.max());
            text[5][i] = plain(b.latestValue());
            text[6][i] = b.latestTime() == null ? null : b.latestTime().toString();
            text[7][i] = b.latestSource();
            text[8][i] = b.latestId();
            i++;
        }
        try (PreparedStatement st = c.prepareStatement(UPSERT_BUCKETS)) {
            st.setArray(1, c.createArrayOf("int8", meters));
            st.setArray(2, text(c, text[0]));
            st.setArray(3, text(c, text[1]));
            st.setArray(4, text(c, text[2]));
            st.setArray(5, c.createArrayOf("int8", counts));
            for (int col = 3; col < 9; col++) {
                st.setArray(col + 3, text(c, text[col]));
            }
            st.executeUpdate();
        }
    }

    /** Records the distinct values UNIQUE_COUNT meters saw. */
    public void insertDistincts(Connection c, Collection<BatchAggregates.Distinct> distincts) throws SQLException {
        if (distincts.isEmpty()) {
            return;
        }
        int n = distincts.size();
        Long[] meters = new Long[n];
        String[][] text = new String[4][n];
        int i = 0;
        for (BatchAggregates.Distinct d : distincts) {
            meters[i] = d.meterId();
            text[0][i] = d.tenant();
            text[1][i] = d.minute().toString();
            text[2][i] = d.groupValues();
            text[3][i] = d.value();
            i++;
        }
        try (PreparedStatement st = c.prepareStatement(INSERT_DISTINCT)) {
            st.setArray(1, c.createArrayOf("int8", meters));
            for (int col = 0; col < 4; col++) {
                st.setArray(col + 2, text(c, text[col]));
            }
            st.executeUpdate();
        }
    }

    /** Deletes up to {@code limit} ledger rows older than the retention; answers how many it deleted. */
    public int purgeBatch(Connection c, int retentionDays, int limit) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(PURGE)) {
            st.setInt(1, retentionDays);
            st.setInt(2, limit);
            return st.executeUpdate();
        }
    }

    private static Array text(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
