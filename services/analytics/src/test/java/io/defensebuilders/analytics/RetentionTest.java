package io.defensebuilders.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.analytics.repository.EventStore;
import io.defensebuilders.analytics.service.Partitions;
import io.defensebuilders.analytics.service.RetentionJob;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The retention: raw day partitions past raw-days are dropped whole, rollups past theirs deleted, days ahead created. */
@QuarkusTest
class RetentionTest {

    @Inject
    DataSource dataSource;

    @Inject
    Partitions partitions;

    @Inject
    RetentionJob job;

    @Test
    void dropsRawPartitionsPastTheRetentionAndKeepsTheRest() throws Exception {
        Db db = new Db(dataSource);
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        // raw-days is 30: the first kept day is today - 29
        LocalDate expired = today.minusDays(30);
        LocalDate kept = today.minusDays(29);
        partitions.ensure(List.of(expired, kept));
        String tenant = TestClient.newTenant();
        db.execute("INSERT INTO event (time, tenant, type, source, event_id, topic, dims) VALUES ('"
                + expired.atTime(12, 0).toInstant(ZoneOffset.UTC) + "', '" + tenant + "', 't', 's', 'old', 'usage.v1', '{}'),"
                + " ('" + kept.atStartOfDay().toInstant(ZoneOffset.UTC) + "', '" + tenant
                + "', 't', 's', 'kept', 'usage.v1', '{}')");
        // a minute bucket past minute-days (35) and one inside it
        db.execute("INSERT INTO rollup_minute VALUES ('" + now.minus(Duration.ofDays(36)) + "', '" + tenant
                + "', 't', '{}', 1, 0), ('" + now.minus(Duration.ofDays(20)) + "', '" + tenant + "', 't', '{}', 1, 0)");

        RetentionJob.Result result = job.run(now);

        assertTrue(result.droppedDays().contains(expired), result.toString());
        assertFalse(result.droppedDays().contains(kept), result.toString());
        List<List<String>> names = db.rows("SELECT relname FROM pg_class WHERE relname LIKE 'event_p%' AND relkind = 'r'");
        assertFalse(names.contains(List.of(EventStore.partition(expired))));
        assertTrue(names.contains(List.of(EventStore.partition(kept))));
        assertTrue(names.contains(List.of(EventStore.partition(today))));
        assertTrue(names.contains(List.of(EventStore.partition(today.plusDays(1)))));
        assertEquals(List.of(List.of("kept")), db.rows("SELECT event_id FROM event WHERE tenant = ?", tenant));
        assertEquals(1, db.count("SELECT count(*) FROM rollup_minute WHERE tenant = ?", tenant));
        // the same cut-off decides what the ingest accepts
        assertEquals(kept.atStartOfDay().toInstant(ZoneOffset.UTC), partitions.earliest(now));
    }
}
