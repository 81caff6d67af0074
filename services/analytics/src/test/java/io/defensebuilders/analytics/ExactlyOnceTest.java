package io.defensebuilders.analytics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.analytics.messaging.EventConsumer;
import io.defensebuilders.analytics.messaging.IngestLoop;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A consumer killed between its database commit and its offset commit: the next one gets the whole batch again
 * and the ledger turns it into nothing, so nothing is counted twice and nothing is lost.
 */
@QuarkusTest
class ExactlyOnceTest {

    @Inject
    EventConsumer consumer;

    @Inject
    DataSource dataSource;

    @Test
    void aCrashBetweenTheDatabaseAndTheOffsetCommitCountsNothingTwice() throws Exception {
        // a topic of its own, which the service's main loop does not consume
        String topic = "crash-test-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "analytics-crash-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = TestClient.newTenant();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(Events.test(tenant, Events.BASE.plusSeconds(i * 7L), "k" + (i % 3), "eu", "1.5"));
        }
        Events sent = new Events().send(topic, events).flush();

        IngestLoop crashing = consumer.newLoop(Pattern.compile(Pattern.quote(topic)), group, new IngestLoop.Faults() {
            @Override
            public void afterDatabaseCommit() {
                throw new IngestLoop.SimulatedCrash();
            }
        }).start();
        await("the loop crashed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(crashing::finished);
        Db db = new Db(dataSource);
        long stored = db.count("SELECT count(*) FROM event WHERE tenant = ?", tenant);
        assertTrue(stored > 0, "the crashed batch was committed to the database");
        assertTrue(Events.committed(group).isEmpty(), "but not to Kafka: " + Events.committed(group));

        IngestLoop next = consumer.newLoop(Pattern.compile(Pattern.quote(topic)), group, IngestLoop.Faults.NONE).start();
        try {
            Events.awaitCommitted(group, sent.lastOffsets(), Duration.ofSeconds(60));
        } finally {
            next.stop(Duration.ofSeconds(10));
        }
        assertEquals(stored, next.stats().duplicates(), "the redelivered batch was recognised");
        assertEquals(25, db.count("SELECT count(*) FROM event WHERE tenant = ?", tenant));
        for (String table : List.of("rollup_minute", "rollup_hour", "rollup_day")) {
            assertEquals(List.of(List.of("25", "37.5")), db.rows("SELECT sum(events)::text, sum(value_sum)::text FROM "
                    + table + " WHERE tenant = ?", tenant), table);
        }
    }
}
