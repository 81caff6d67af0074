package io.defensebuilders.analytics.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.analytics.AnalyticsEvent;
import io.defensebuilders.analytics.BatchRollups;
import io.defensebuilders.analytics.Granularity;
import io.defensebuilders.platform.events.DedupLedger;
import io.defensebuilders.platform.events.EventKey;

/**
 * The ingest side's SQL over JDBC: every statement is set-based (one round trip per table and batch, arrays bound
 * as parameters and expanded with {@code unnest}), and none commits; the caller owns the transaction. Also the
 * partition DDL of the raw table and the retention deletes.
 */
@ApplicationScoped
public class EventStore {

    static final DateTimeFormatter PARTITION_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private static final DedupLedger LEDGER = new DedupLedger("event_seen");

    private static final String INSERT_EVENTS = """
            INSERT INTO event (time, tenant, type, source, event_id, topic, subject, dims, value, data)
            SELECT t::timestamptz, te, ty, s, i, tp, su, d::jsonb, v::numeric, da::jsonb
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[]) AS u(t, te, ty, s, i, tp, su, d, v, da)""";

    private static final String UPSERT_ROLLUP = """
            INSERT INTO %1$s AS r (bucket, tenant, type, dims, events, value_sum)
            SELECT b::timestamptz, t, ty, d::jsonb, e, v::numeric
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) AS u(b, t, ty, d, e, v)
            ON CONFLICT (tenant, bucket, type, dims) DO UPDATE SET
                events = r.events + EXCLUDED.events,
                value_sum = r.value_sum + EXCLUDED.value_sum""";

    /** Records the keys in the ledger and answers those that were not there yet ({@link DedupLedger}). */
    public Set<EventKey> insertNew(Connection c, List<EventKey> sortedKeys) throws SQLException {
        return LEDGER.insertNew(c, sortedKeys);
    }

    /** Stores the raw events; {@code dimsJson} holds each event's canonical dimensions JSON, in the same order. */
    public void insertEvents(Connection c, List<AnalyticsEvent> events, List<String> dimsJson) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[][] cols = new String[10][n];
        for (int i = 0; i < n; i++) {
            AnalyticsEvent e = events.get(i);
            cols[0][i] = e.time().toString();
            cols[1][i] = e.tenant();
            cols[2][i] = e.type();
            cols[3][i] = e.source();
            cols[4][i] = e.id();
            cols[5][i] = e.topic();
            cols[6][i] = e.subject();
            cols[7][i] = dimsJson.get(i);
            cols[8][i] = e.value() == null ? null : e.value().toPlainString();
            cols[9][i] = e.data();
        }
        try (PreparedStatement st = c.prepareStatement(INSERT_EVENTS)) {
            for (int col = 0; col < cols.length; col++) {
                st.setArray(col + 1, c.createArrayOf("text", cols[col]));
            }
            st.executeUpdate();
        }
    }

    /** Adds a batch's deltas to one rollup table. */
    public void upsertRollups(Connection c, Granularity g, Map<BatchRollups.Key, BatchRollups.Delta> deltas)
            throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        int n = deltas.size();
        String[][] text = new String[5][n];
        Long[] events = new Long[n];
        int i = 0;
        for (var e : deltas.entrySet()) {
            text[0][i] = e.getKey().bucket().toString();
            text[1][i] = e.getKey().tenant();
            text[2][i] = e.getKey().type();
            text[3][i] = e.getKey().dims();
            text[4][i] = e.getValue().valueSum().toPlainString();
            events[i] = e.getValue().events();
            i++;
        }
        try (PreparedStatement st = c.prepareStatement(UPSERT_ROLLUP.formatted(g.table()))) {
            st.setArray(1, c.createArrayOf("text", text[0]));
            st.setArray(2, c.createArrayOf("text", text[1]));
            st.setArray(3, c.createArrayOf("text", text[2]));
            st.setArray(4, c.createArrayOf("text", text[3]));
            st.setArray(5, c.createArrayOf("int8", events));
            st.setArray(6, c.createArrayOf("text", text[4]));
            st.executeUpdate();
        }
    }

    /** The name of the raw partition of a UTC day. */
    public static String partition(LocalDate day) {
        return "event_p" + PARTITION_SUFFIX.format(day);
    }

    /** Creates the raw partition of {@code day} unless it exists. */
    public void createPartition(Connection c, LocalDate day) throws SQLException {
        String from = day.atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        String to = day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + partition(day) + " PARTITION OF event FOR VALUES FROM ('" + from
                    + "') TO ('" + to + "')");
        }
    }

    /** The UTC days that have a raw partition. */
    public List<LocalDate> partitions(Connection c) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                SELECT child.relname FROM pg_inherits
                JOIN pg_class parent ON pg_inherits.inhparent = parent.oid
                JOIN pg_class child ON pg_inherits.inhrelid = child.oid
                JOIN pg_namespace ns ON parent.relnamespace = ns.oid
                WHERE parent.relname = 'event' AND ns.nspname = current_schema()""");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.startsWith("event_p") && name.length() == 15) {
                    days.add(LocalDate.parse(name.substring(7), PARTITION_SUFFIX));
                }
            }
        }
        days.sort(null);
        return days;
    }

    /** Drops the raw partition of {@code day}. */
    public void dropPartition(Connection c, LocalDate day) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + partition(day));
        }
    }

    /** Deletes rollup rows of buckets before {@code before}; answers how many. */
    public int purgeRollups(Connection c, Granularity g, java.time.Instant before) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM " + g.table() + " WHERE bucket < ?")) {
            st.setObject(1, before.atOffset(ZoneOffset.UTC));
            return st.executeUpdate();
        }
    }

    /** Forgets ledger entries received before {@code before}; answers how many. */
    public int purgeSeen(Connection c, java.time.Instant before) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM event_seen WHERE received_at < ?")) {
            st.setObject(1, before.atOffset(ZoneOffset.UTC));
            return st.executeUpdate();
        }
    }
}
