package io.defensebuilders.gateway.usage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.kafka.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No answered call goes unmetered: an event Kafka does not take is sent again, the same event, until it is taken; and
 * the events of a gateway killed before it could send them are in its journal, which the next start sends. Recorders
 * of their own on the real Kafka, so the application's keeps running for the other tests.
 */
@QuarkusTest
class UsageDeliveryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anEventKafkaDidNotTakeIsSentAgainWithItsIdUntilItIs(@TempDir Path journal) throws Exception {
        String tenant = "t-resend-" + System.nanoTime();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // no wait at all for the topic's metadata: every event sent before the producer has it fails, as while Kafka
        // restarts; the producer fetches it meanwhile, so the same events go through on a later round
        UsageRecorder recorder = new UsageRecorder(true, bootstrap, Map.of("max.block.ms", "0"), Optional.of(journal),
                meters);
        recorder.start(null);
        int calls = 300;
        for (int i = 0; i < calls; i++) {
            recorder.apiCall(tenant, "key:k", "stub", "GET", 200, 0, 10, "r-" + i, Instant.now());
        }
        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1, r -> tenant.equals(r.key()),
                calls, Duration.ofSeconds(30));
        assertTrue(meters.counter("dbp.gateway.usage.resent").count() > 0, "some events were sent again");
        recorder.stop(null);
        assertEquals(calls, records.size(), "every call metered, none twice");
        assertEquals(calls, records.stream().map(UsageDeliveryTest::requestId).distinct().count());
        assertEquals(0.0, meters.counter("dbp.gateway.usage.dropped").count());
        assertEquals(List.of(), segments(journal), "a graceful stop leaves no event in the journal");
    }

    @Test
    void theEventsOfAKilledGatewayAreSentByItsNextStartEachOnce(@TempDir Path journal) throws Exception {
        String tenant = "t-killed-" + System.nanoTime();
        // the gateway that dies: its Kafka never answers, so nothing it recorded got further than its journal; it is
        // abandoned without a stop, as SIGKILL leaves it
        UsageRecorder killed = new UsageRecorder(true, "127.0.0.1:" + Ports.free(), Map.of(), Optional.of(journal),
                new SimpleMeterRegistry());
        killed.start(null);
        int calls = 500;
        for (int i = 0; i < calls; i++) {
            killed.apiCall(tenant, "key:k", "stub", "POST", 201, 5, 10, "r-" + i, Instant.now());
        }
        // and a write the kill cut short: that call was never answered, and the line is not an event
        Files.writeString(journal.resolve("usage-0.jsonl"), "{\"specversion\":\"1.0\",\"id\":\"cut-sh",
                StandardCharsets.UTF_8);

        UsageRecorder next = new UsageRecorder(true, bootstrap, Map.of(), Optional.of(journal), new SimpleMeterRegistry());
        next.start(null);
        try {
            List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1,
                    r -> tenant.equals(r.key()), calls + 1, Duration.ofSeconds(10));
            assertEquals(calls, records.size(), "every journaled call sent once, nothing else");
            assertEquals(calls, records.stream().map(UsageDeliveryTest::requestId).distinct().count());
            assertEquals(calls, records.stream().map(r -> r.value().replaceFirst("^\\{[^}]*?\"id\":\"([^\"]+)\".*", "$1"))
                    .distinct().count(), "each with an id of its own");
            // once Kafka has them, their files go (the dead one's segments and the cut-short one)
            await("the journal's files of the killed gateway are deleted once sent").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).until(() -> segmentsHolding(journal, tenant) == 0);
        } finally {
            next.stop(null);
        }
    }

    private static String requestId(ConsumerRecord<String, String> r) {
        return r.value().replaceFirst(".*\"requestId\":\"(r-\\d+)\".*", "$1");
    }

    private static List<Path> segments(Path journal) throws Exception {
        try (Stream<Path> files = Files.list(journal)) {
            return files.toList();
        }
    }

    private static long segmentsHolding(Path journal, String tenant) {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> {
                try {
                    String text = Files.readString(f);
                    return text.contains(tenant) || text.contains("cut-sh");
                } catch (java.io.IOException e) {
                    return false; // deleted meanwhile
                }
            }).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
