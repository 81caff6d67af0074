package io.defensebuilders.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A graceful shutdown sends what was answered: calls still queued, or lingering in the producer's batch, reach Kafka
 * before the recorder stops. A recorder of its own, so the application's keeps running for the other tests. And the
 * events, written by hand, read back as the platform's codec reads them.
 */
@QuarkusTest
class UsageShutdownTest {

    @Inject
    CloudEventCodec codec;

    @Inject
    GatewayConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void stoppingFlushesEveryQueuedCall() throws Exception {
        String tenant = "t-shutdown-" + System.nanoTime();
        UsageRecorder recorder = new UsageRecorder(true, bootstrap, config.usage().producer(), Optional.empty(),
                new SimpleMeterRegistry());
        recorder.start(null);
        int calls = 5_000;
        for (int i = 0; i < calls; i++) {
            recorder.apiCall(tenant, "key:k", "stub", "GET", 200, 0, 10, "r-" + i, Instant.now());
        }
        // at once: most of them are still on the queue or in the producer's lingering batch
        recorder.stop(null);

        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1, r -> tenant.equals(r.key()),
                calls, Duration.ofSeconds(15));
        assertEquals(calls, records.size());
        assertEquals(calls, records.stream().map(r -> r.value().replaceFirst(".*\"requestId\":\"(r-\\d+)\".*", "$1"))
                .distinct().count());
    }

    @Test
    void eventsAreCloudEventsOfUsageDataWhateverTheNames() throws Exception {
        String odd = "user \"quoted\" \\ back\nslash \u0001 ünï";
        Instant at = Instant.parse("2026-12-01T10:15:30.123Z");
        StringBuilder json = new StringBuilder();
        UsageRecorder.event(json, new UsageRecorder.Call(UUID.randomUUID(), "t-1", odd, "stub", "GET", 201, 12, 345, "r-1",
                at.toEpochMilli()));

        CloudEvent<UsageV1> event = codec.decode(json.toString(), UsageV1.class);
        assertEquals(CloudEvent.of(event.id(), "/services/gateway", UsageV1.TYPE, "t-1", "stub", at,
                new UsageV1("t-1", UsageV1.API_CALL, BigDecimal.ONE, odd, at, Map.of("route", "stub", "method", "GET",
                        "status", "201", "bytesIn", "12", "bytesOut", "345", "requestId", "r-1"))),
                event);
        assertEquals(4, UUID.fromString(event.id()).version());
    }
}
