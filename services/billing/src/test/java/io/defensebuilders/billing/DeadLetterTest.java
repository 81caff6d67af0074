package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.billing.messaging.DeadLetters;
import io.defensebuilders.billing.service.MeteringService;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.platform.events.IngestBatches;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Records that cannot be metered go to usage.v1.dlq, as they were, with the reason; the consumer goes on. */
@QuarkusTest
class DeadLetterTest {

    private static final Instant T = UsageEvents.BASE.plus(Duration.ofHours(6));

    @Inject
    CloudEventCodec codec;

    @Inject
    MeteringService metering;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndTheConsumerGoesOn() {
        String tenant = TestClient.newTenant();
        String eventMeter = TestClient.unique("dlq");
        String meter = Api.createMeter(TestClient.unique("dlq-bytes"), eventMeter, "SUM", "attributes.bytes", List.of());
        String marker = UUID.randomUUID().toString();

        // the bad records, each with the reason we expect to read back
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("this is not json " + marker, "not a CloudEvents 1.0 JSON event");
        bad.put(envelope(marker + "-a", "io.defensebuilders.usage.v1",
                "{\"meter\":\"" + eventMeter + "\",\"quantity\":1,\"occurredAt\":\"" + T + "\"}"), "tenant");
        bad.put(envelope(marker + "-b", "io.defensebuilders.registry.v1.sdk.published",
                "{\"tenant\":\"" + tenant + "\",\"meter\":\"" + eventMeter + "\",\"quantity\":1,\"occurredAt\":\"" + T + "\"}"),
                "expected io.defensebuilders.usage.v1");
        bad.put(envelope(marker + "-c", "io.defensebuilders.usage.v1",
                "{\"tenant\":\"" + tenant + "\",\"meter\":\"" + eventMeter + "\",\"quantity\":1,\"occurredAt\":\"" + T
                        + "\",\"attributes\":{\"bytes\":\"lots\"}}"),
                "needs a decimal number in attributes.bytes");
        bad.put(envelope(marker + "-d", "io.defensebuilders.usage.v1",
                "{\"tenant\":\"" + tenant + "\",\"meter\":\"" + eventMeter
                        + "\",\"quantity\":1,\"occurredAt\":\"2999-01-01T00:00:00Z\","
                        + "\"attributes\":{\"bytes\":\"1\"}}"),
                "occurredAt");
        bad.put(envelope(marker + "-e", "io.defensebuilders.usage.v1",
                "{\"tenant\":\"" + tenant + "\",\"meter\":\"" + eventMeter + "\",\"quantity\":\"1e400\",\"occurredAt\":\"" + T
                        + "\",\"attributes\":{\"bytes\":\"1\"}}"),
                "integer digits");
        bad.put(envelope(marker + "-f", "io.defensebuilders.usage.v1",
                "{\"tenant\":\"" + tenant + "\",\"meter\":\"" + eventMeter + "\",\"quantity\":1,\"occurredAt\":\"" + T
                        + "\"}"),
                "needs attributes.bytes");

        UsageEvents kafka = new UsageEvents(codec);
        for (String value : bad.keySet()) {
            kafka.sendRaw(Topics.USAGE_V1, tenant, value.getBytes(StandardCharsets.UTF_8));
        }
        // a good event behind them, on the same partition: it is metered
        kafka.send(Topics.USAGE_V1, UsageEvents.event(tenant, eventMeter, "1", T, Map.of("bytes", "42")));
        kafka.awaitConsumed(group);
        assertEquals(new BigDecimal("42"), Api.viewer(tenant).total(meter, T, T.plus(Duration.ofHours(1))));

        List<ConsumerRecord<String, String>> letters = TopicReader.await(Topics.USAGE_V1_DLQ,
                r -> r.value() != null && r.value().contains(marker), bad.size(), Duration.ofSeconds(20));
        assertEquals(bad.size(), letters.size());
        Map<String, ConsumerRecord<String, String>> byValue = new HashMap<>();
        letters.forEach(r -> byValue.put(r.value(), r));
        bad.forEach((value, reason) -> {
            ConsumerRecord<String, String> letter = byValue.get(value);
            assertNotNull(letter, "dead letter with the original bytes of " + value);
            assertEquals(tenant, letter.key());
            String why = header(letter, DeadLetters.REASON);
            assertTrue(why.contains(reason), "reason '" + why + "' should mention '" + reason + "'");
            assertEquals(Topics.USAGE_V1, header(letter, DeadLetters.TOPIC));
            assertNotNull(header(letter, DeadLetters.OFFSET));
            assertEquals("application/cloudevents+json", header(letter, "content-type"));
        });
    }

    @Test
    void anEventTheDatabaseRefusesIsRejectedAloneAndTheRestOfItsBatchIsMetered() throws Exception {
        String tenant = TestClient.newTenant();
        String eventMeter = TestClient.unique("poison");
        String meter = Api.createMeter(TestClient.unique("poison"), eventMeter, "SUM", "quantity", List.of());
        // a NUL in the tenant: the reader would have refused it; here it reaches the database, which refuses it
        List<IngestBatches.Positioned<UsageEvent>> batch = List.of(
                positioned(0, tenant, eventMeter, "1"),
                positioned(1, tenant + "\u0000", eventMeter, "10"),
                positioned(2, tenant, eventMeter, "2"),
                positioned(3, tenant, eventMeter, "2"));
        MeteringService.Outcome outcome = metering.meter(batch);
        assertEquals(3, outcome.accepted());
        assertEquals(1, outcome.rejected().size());
        assertEquals(1, outcome.rejected().getFirst().position());
        assertTrue(outcome.rejected().getFirst().reason().startsWith("the database refused"));
        assertEquals(new BigDecimal("5"), Api.viewer(tenant).total(meter, T, T.plus(Duration.ofHours(1))));
    }

    private static IngestBatches.Positioned<UsageEvent> positioned(int position, String tenant, String eventMeter,
            String quantity) {
        var e = UsageEvents.event(tenant, eventMeter, quantity, T, Map.of());
        return new IngestBatches.Positioned<>(position, new UsageEvent(e.source(), e.id(), e.data()));
    }

    private static String envelope(String id, String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/tests/billing\",\"type\":\"" + type
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
