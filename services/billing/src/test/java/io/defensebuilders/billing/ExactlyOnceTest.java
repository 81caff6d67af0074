package io.defensebuilders.billing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.billing.messaging.IngestLoop;
import io.defensebuilders.billing.messaging.UsageConsumer;
import io.defensebuilders.billing.service.MeteringService;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.platform.events.IngestBatches;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Delivery at least once plus the deduplication ledger written in the metering transaction: every event counted
 * exactly once across duplicates, a crash between the database commit and the offset commit, a consumer started
 * from an old offset, and rebalances.
 */
@QuarkusTest
class ExactlyOnceTest {

    private static final Instant T = UsageEvents.BASE.plus(Duration.ofHours(3));
    private static final Instant TO = T.plus(Duration.ofDays(1));

    @Inject
    CloudEventCodec codec;

    @Inject
    UsageConsumer consumer;

    @Inject
    MeteringService metering;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    @Test
    void duplicatesWithinABatchCountOnce() throws Exception {
        String tenant = TestClient.newTenant();
        String eventMeter = TestClient.unique("dup-batch");
        String meter = Api.createMeter(TestClient.unique("dup-batch"), eventMeter, "SUM", "quantity", List.of());
        CloudEvent<UsageV1> once = UsageEvents.event(tenant, eventMeter, "2", T, Map.of());
        CloudEvent<UsageV1> other = UsageEvents.event(tenant, eventMeter, "3", T, Map.of());
        List<IngestBatches.Positioned<UsageEvent>> batch = new ArrayList<>();
        for (CloudEvent<UsageV1> e : List.of(once, other, once, once)) {
            batch.add(new IngestBatches.Positioned<>(batch.size(), new UsageEvent(e.source(), e.id(), e.data())));
        }
        MeteringService.Outcome first = metering.meter(batch);
        assertEquals(2, first.accepted());
        assertEquals(2, first.duplicates());
        // the same batch again, as after a redelivery: nothing new
        MeteringService.Outcome again = metering.meter(batch);
        assertEquals(0, again.accepted());
        assertEquals(4, again.duplicates());
        assertEquals(new BigDecimal("5"), Api.viewer(tenant).total(meter, T, TO));
    }

    @Test
    void duplicatesAcrossBatchesCountOnce() {
        String tenant = TestClient.newTenant();
        String eventMeter = TestClient.unique("dup-kafka");
        String meter = Api.createMeter(TestClient.unique("dup-kafka"), eventMeter, "COUNT", null, List.of());
        List<CloudEvent<UsageV1>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(UsageEvents.event(tenant, eventMeter, "1", T.plusSeconds(i * 7), Map.of()));
        }
        long duplicatesBefore = consumer.main().orElseThrow().stats().duplicates();
        UsageEvents kafka = new UsageEvents(codec);
        kafka.send(Topics.USAGE_V1, events).awaitConsumed(group);
        List<CloudEvent<UsageV1>> more = new ArrayList<>(events);
        more.add(UsageEvents.event(tenant, eventMeter, "1", T, Map.of()));
        kafka.send(Topics.USAGE_V1, more).send(Topics.USAGE_V1, events.subList(0, 10)).awaitConsumed(group);

        assertEquals(new BigDecimal("41"), Api.viewer(tenant).total(meter, T, TO));
        assertTrue(consumer.main().orElseThrow().stats().duplicates() - duplicatesBefore >= 50);
    }

    @Test
    void aCrashBetweenTheDatabaseCommitAndTheOffsetCommitDoesNotCountTwice() throws Exception {
        String topic = TestClient.unique("usage.v1.crash");
        String crashGroup = TestClient.unique("billing-crash");
        String tenant = TestClient.newTenant();
        String eventMeter = TestClient.unique("crash");
        String meter = Api.createMeter(TestClient.unique("crash"), eventMeter, "SUM", "quantity", List.of());
        List<CloudEvent<UsageV1>> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(UsageEvents.event(tenant, eventMeter, "1.5", T.plusSeconds(i), Map.of()));
        }
        Map<TopicPartition, Long> end = new UsageEvents(codec).send(topic, events).lastOffsets();

        IngestLoop crashing = consumer.newLoop(topic, crashGroup, new IngestLoop.Faults() {
            @Override
            public void afterDatabaseCommit() {
                throw new IngestLoop.SimulatedCrash();
            }
        }).start();
        await("the loop crashed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(crashing::finished);
        BigDecimal afterCrash = Api.viewer(tenant).total(meter, T, TO);
        assertTrue(afterCrash.signum() > 0, "the first batch reached the database before the crash");
        assertTrue(UsageEvents.committed(crashGroup).isEmpty(), "no offset was committed");

        IngestLoop restarted = consumer.newLoop(topic, crashGroup, IngestLoop.Faults.NONE).start();
        try {
            UsageEvents.awaitCommitted(crashGroup, end, Duration.ofSeconds(30));
        } finally {
            restarted.stop(Duration.ofSeconds(10));
        }
        assertEquals(new BigDecimal("450.0"), Api.viewer(tenant).total(meter, T, TO));
        // exactly the events metered before the crash came again, and were recognised
        assertEquals(afterCrash.divide(new BigDecimal("1.5")).longValueExact(), restarted.stats().duplicates());
        assertEquals(300, restarted.stats().accepted() + restarted.stats().duplicates());

        // a consumer started from the oldest offset (a new group, or a reset one) changes nothing either
        String replayGroup = TestClient.unique("billing-replay");
        IngestLoop replay = consumer.newLoop(topic, replayGroup, IngestLoop.Faults.NONE).start();
        try {
            UsageEvents.awaitCommitted(replayGroup, end, Duration.ofSeconds(30));
        } finally {
            replay.stop(Duration.ofSeconds(10));
        }
        assertEquals(0, replay.stats().accepted());
        assertEquals(300, replay.stats().duplicates());
        assertEquals(new BigDecimal("450.0"), Api.viewer(tenant).total(meter, T, TO));
    }

    @Test
    void rebalancesNeitherLoseNorDoubleCount() throws Exception {
        String topic = TestClient.unique("usage.v1.rebalance");
        String rebalanceGroup = TestClient.unique("billing-rebalance");
        String eventMeter = TestClient.unique("rebalance");
        String meter = Api.createMeter(TestClient.unique("rebalance"), eventMeter, "COUNT", null, List.of());
        List<String> tenants = List.of(TestClient.newTenant(), TestClient.newTenant(), TestClient.newTenant(),
                TestClient.newTenant(),
                TestClient.newTenant(), TestClient.newTenant());
        Map<String, Integer> expected = new java.util.HashMap<>();
        UsageEvents kafka = new UsageEvents(codec);
        List<CloudEvent<UsageV1>> sent = new ArrayList<>();
        java.util.function.IntConsumer produce = n -> {
            List<CloudEvent<UsageV1>> chunk = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String tenant = tenants.get((sent.size() + i) % tenants.size());
                chunk.add(UsageEvents.event(tenant, eventMeter, "1", T.plusSeconds(i), Map.of()));
                expected.merge(tenant, 1, Integer::sum);
            }
            sent.addAll(chunk);
            // every tenth event goes out twice
            List<CloudEvent<UsageV1>> withDuplicates = new ArrayList<>(chunk);
            for (int i = 0; i < chunk.size(); i += 10) {
                withDuplicates.add(chunk.get(i));
            }
            kafka.send(topic, withDuplicates).flush();
        };

        IngestLoop first = consumer.newLoop(topic, rebalanceGroup, IngestLoop.Faults.NONE).start();
        IngestLoop second = null;
        try {
            produce.accept(200);
            UsageEvents.awaitCommitted(rebalanceGroup, kafka.lastOffsets(), Duration.ofSeconds(30));
            second = consumer.newLoop(topic, rebalanceGroup, IngestLoop.Faults.NONE).start();
            produce.accept(200);
            // time for the second member to join the group (a rebalance) while events keep coming
            Thread.sleep(1500);
            produce.accept(200);
            // the first member leaves: its partitions are revoked and move to the second
            first.stop(Duration.ofSeconds(10));
            produce.accept(200);
            UsageEvents.awaitCommitted(rebalanceGroup, kafka.lastOffsets(), Duration.ofSeconds(40));
        } finally {
            first.stop(Duration.ofSeconds(10));
            if (second != null) {
                second.stop(Duration.ofSeconds(10));
            }
        }
        for (String tenant : tenants) {
            assertEquals(new BigDecimal(expected.get(tenant)), Api.viewer(tenant).total(meter, T, TO), tenant);
        }
        assertEquals(800, first.stats().accepted() + second.stats().accepted());
        assertTrue(first.stats().consumed() >= 220, "the first member consumed alone at first");
        assertTrue(second.stats().consumed() > 0, "the second member took partitions over");
        Map<TopicPartition, OffsetAndMetadata> committed = UsageEvents.committed(rebalanceGroup);
        assertTrue(committed.size() >= 1);
    }
}
