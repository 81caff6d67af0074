package io.defensebuilders.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A graceful shutdown sends what was answered: calls still queued, or lingering in the producer's batch, reach Kafka
 * before the recorder stops. A recorder of its own, so the application's keeps running for the other tests.
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
        UsageRecorder recorder = new UsageRecorder(codec, config, new SimpleMeterRegistry(), bootstrap);
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
}
