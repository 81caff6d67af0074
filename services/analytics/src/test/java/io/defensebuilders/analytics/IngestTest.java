package io.defensebuilders.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The consumer end to end: real topics in, the ledger, the raw partitions and the rollups out. */
@QuarkusTest
class IngestTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "dbp.analytics.ingest.group-id")
    String group;

    private final String tenant = TestClient.newTenant();

    private Db db() {
        return new Db(dataSource);
    }

    @Test
    void countsAnEventDeliveredManyTimesOnceAcrossBatches() {
        Map<String, Object> e = Events.test(tenant, Events.BASE.plusSeconds(90), "a", "eu", "2.5");
        new Events().send(Topics.USAGE_V1, e).awaitConsumed(group);
        // redelivered in a later batch, and twice within one batch
        new Events().send(Topics.USAGE_V1, List.of(e, e)).awaitConsumed(group);
        // the same id from another source is another event
        Map<String, Object> other = new LinkedHashMap<>(e);
        other.put("source", "/tests/elsewhere");
        new Events().send(Topics.USAGE_V1, other).awaitConsumed(group);

        assertEquals(2, db().count("SELECT count(*) FROM event WHERE tenant = ?", tenant));
        for (String table : List.of("rollup_minute", "rollup_hour", "rollup_day")) {
            assertEquals(List.of(List.of("2", "5.0")), db().rows("SELECT sum(events)::text, sum(value_sum)::text FROM "
                    + table + " WHERE tenant = ?", tenant), table);
        }
        assertEquals(List.of(List.of(Events.BASE.plusSeconds(60).toString())),
                db().rows("SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM rollup_minute"
                        + " WHERE tenant = ?", tenant));
    }

    @Test
    void storesRawEventsInThePartitionOfTheirUtcDay() {
        Instant today = Instant.now().minusSeconds(5);
        Instant fiveDaysAgo = today.minus(Duration.ofDays(5));
        new Events().send(Topics.REGISTRY_V1, List.of(
                Events.event(UUID.randomUUID().toString(), "/services/sdk-registry",
                        "io.defensebuilders.registry.v1.version.published", tenant, today,
                        Map.of("tenant", tenant, "sdk", "tak-server", "version", "1.0.0", "visibility", "public")),
                Events.event(UUID.randomUUID().toString(), "/services/sdk-registry",
                        "io.defensebuilders.registry.v1.version.yanked", tenant, fiveDaysAgo,
                        Map.of("tenant", tenant, "sdk", "tak-server", "version", "0.9.0", "visibility", "public"))))
                .awaitConsumed(group);

        List<List<String>> rows = db().rows("SELECT tableoid::regclass::text, type, dims::text, topic FROM event"
                + " WHERE tenant = ? ORDER BY time", tenant);
        assertEquals(2, rows.size());
        assertEquals("event_p" + day(fiveDaysAgo), rows.get(0).get(0));
        assertEquals("event_p" + day(today), rows.get(1).get(0));
        assertEquals("{\"sdk\": \"tak-server\", \"visibility\": \"public\"}", rows.get(1).get(2));
        assertEquals(Topics.REGISTRY_V1, rows.get(1).get(3));
    }

    @Test
    void consumesEveryPlatformTopicButNotDeadLetterTopics() {
        Instant t = Events.BASE.plusSeconds(30);
        Events events = new Events();
        events.send(Topics.USAGE_V1_DLQ, Events.test(tenant, t, "dlq", "eu", "1")).flush();
        for (String topic : List.of(Topics.USAGE_V1, Topics.REGISTRY_V1, Topics.ENVIRONMENTS_V1,
                Topics.INTEGRATIONS_V1, Topics.ORBITAL_CONJUNCTIONS_V1, Topics.ORBITAL_CATALOG_V1)) {
            events.send(topic, Events.event(UUID.randomUUID().toString(), "/tests/topics",
                    "io.defensebuilders.tests.topic." + topic, tenant, t, Map.of("n", 1)));
        }
        events.flush();
        // only the consumed topics are waited for: the group never commits on the dead-letter topic
        Map<org.apache.kafka.common.TopicPartition, Long> last = new java.util.HashMap<>(events.lastOffsets());
        last.keySet().removeIf(tp -> tp.topic().equals(Topics.USAGE_V1_DLQ));
        Events.awaitCommitted(group, last, Duration.ofSeconds(60));

        assertEquals(List.of(List.of(Topics.ENVIRONMENTS_V1), List.of(Topics.INTEGRATIONS_V1),
                List.of(Topics.ORBITAL_CATALOG_V1), List.of(Topics.ORBITAL_CONJUNCTIONS_V1), List.of(Topics.REGISTRY_V1),
                List.of(Topics.USAGE_V1)), db().rows("SELECT topic FROM event WHERE tenant = ? ORDER BY topic", tenant));
        assertTrue(Events.committed(group).keySet().stream().noneMatch(tp -> tp.topic().equals(Topics.USAGE_V1_DLQ)));
    }

    @Test
    void skipsWhatIsNotAUsableEventAndKeepsGoing() {
        Instant t = Events.BASE.plusSeconds(10);
        Events events = new Events();
        events.sendRaw(Topics.USAGE_V1, tenant, "not json".getBytes(StandardCharsets.UTF_8));
        events.sendRaw(Topics.USAGE_V1, tenant, "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        events.sendRaw(Topics.USAGE_V1, tenant, new byte[0]);
        Map<String, Object> noId = Events.test(tenant, t, "x", "eu", "1");
        noId.remove("id");
        events.send(Topics.USAGE_V1, noId);
        // older than the raw retention (30 days), and too far ahead
        events.send(Topics.USAGE_V1, Events.test(tenant, Instant.now().minus(Duration.ofDays(40)), "old", "eu", "1"));
        events.send(Topics.USAGE_V1, Events.test(tenant, Instant.now().plus(Duration.ofDays(3)), "future", "eu", "1"));
        // PostgreSQL's jsonb refuses \u0000: the batch falls back to one transaction per event
        events.send(Topics.USAGE_V1, Events.test(tenant, t, "nul\u0000char", "eu", "1"));
        Map<String, Object> good = Events.test(tenant, t, "good", "eu", "1");
        events.send(Topics.USAGE_V1, good).awaitConsumed(group);

        assertEquals(List.of(List.of(String.valueOf(good.get("id")))),
                db().rows("SELECT event_id FROM event WHERE tenant = ?", tenant));
        assertEquals(1, db().count("SELECT sum(events) FROM rollup_hour WHERE tenant = ?", tenant));
    }

    @Test
    void extractsTheConfiguredDimensionsAndValueOfUsageEvents() {
        Instant t = Events.BASE.plusSeconds(3600 + 5);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant", tenant);
        data.put("meter", "api.call");
        data.put("quantity", 1);
        data.put("subject", "alice");
        data.put("occurredAt", t.toString());
        data.put("attributes", Map.of("route", "sdk-registry", "method", "GET", "status", "200"));
        Map<String, Object> e = Events.event(UUID.randomUUID().toString(), "/services/gateway",
                "io.defensebuilders.usage.v1", null, t, data);
        e.remove("tenant"); // the tenant comes from data when the extension is absent
        new Events().sendRaw(Topics.USAGE_V1, tenant, json(e)).awaitConsumed(group);

        assertEquals(
                List.of(List.of("io.defensebuilders.usage.v1",
                        "{\"meter\": \"api.call\", \"attributes.route\": \"sdk-registry\"}", "1", "1")),
                db().rows("SELECT type, dims::text, events::text, value_sum::text FROM rollup_day WHERE tenant = ?",
                        tenant));
    }

    private static byte[] json(Map<String, Object> e) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(e);
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }

    private static String day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    }
}
