package io.defensebuilders.platform.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A deduplication ledger table with the columns {@code (source, event_id)} under a unique key: one set-based
 * statement per batch records the keys not seen before and answers exactly those. A key another transaction is
 * inserting right now waits for it, and counts as new only if that transaction rolls back. The statement does not
 * commit; the caller's transaction does, together with what the new events change.
 */
public final class DedupLedger {

    private final String insert;

    /** @param table the ledger table's name (a constant of the service, never input) */
    public DedupLedger(String table) {
        this.insert = """
                INSERT INTO %s (source, event_id)
                SELECT s, i FROM unnest(?::text[], ?::text[]) AS u(s, i)
                ON CONFLICT DO NOTHING
                RETURNING source, event_id""".formatted(table);
    }

    /** Records the keys (sorted, so concurrent batches lock in one order) and answers those that were new. */
    public Set<EventKey> insertNew(Connection c, List<EventKey> sortedKeys) throws SQLException {
        if (sortedKeys.isEmpty()) {
            return Set.of();
        }
        String[] sources = new String[sortedKeys.size()];
        String[] ids = new String[sortedKeys.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = sortedKeys.get(i).source();
            ids[i] = sortedKeys.get(i).id();
        }
        Set<EventKey> fresh = new HashSet<>(sortedKeys.size() * 2);
        try (PreparedStatement st = c.prepareStatement(insert)) {
            st.setArray(1, c.createArrayOf("text", sources));
            st.setArray(2, c.createArrayOf("text", ids));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    fresh.add(new EventKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return fresh;
    }
}
