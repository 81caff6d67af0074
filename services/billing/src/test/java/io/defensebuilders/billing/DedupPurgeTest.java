package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.billing.repository.MeteringStore;
import io.defensebuilders.billing.service.DedupPurge;
import io.quarkus.test.junit.QuarkusTest;

/** The ledger forgets events after the retention (32 days), in bounded batches, and keeps everything younger. */
@QuarkusTest
class DedupPurgeTest {

    @Inject
    DataSource dataSource;

    @Inject
    MeteringStore store;

    @Inject
    DedupPurge purge;

    @Test
    void forgetsOnlyEventsOlderThanTheRetentionInBoundedBatches() throws Exception {
        String source = "/tests/purge-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            insert(c, source, 25, "40 days");
            insert(c, source, 5, "33 days");
            insert(c, source, 7, "31 days");
            insert(c, source, 3, "0 days");
            assertEquals(10, store.purgeBatch(c, 32, 10), "one batch deletes at most its limit");
            assertEquals(30, count(c, source));
            purge.purge();
            assertEquals(10, count(c, source));
            assertEquals(0, store.purgeBatch(c, 32, 10));
        }
    }

    private static void insert(Connection c, String source, int n, String age) throws Exception {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO usage_dedup (source, event_id, received_at)"
                + " SELECT ?, gen_random_uuid()::text, now() - ?::interval FROM generate_series(1, ?)")) {
            st.setString(1, source);
            st.setString(2, age);
            st.setInt(3, n);
            st.executeUpdate();
        }
    }

    private static int count(Connection c, String source) throws Exception {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM usage_dedup WHERE source = ?")) {
            st.setString(1, source);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
