package io.defensebuilders.orbital;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalElementsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.AtOnce;
import io.defensebuilders.testing.infra.SharedInfra;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.OwnDatabaseProfile;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Element sets that arrive on Kafka while the database hangs are not lost: the consumer waits for the database
 * (however many statement timeouts that takes) instead of sending them to the dead-letter topic. An upload made
 * meanwhile answers 503 within one statement's bound: the rollback after a statement that got no answer does not
 * wait a second bound on the same silent connection.
 */
@QuarkusTest
@TestProfile(OwnDatabaseProfile.class)
class DatabaseHangTest {

    @Inject
    CloudEventCodec codec;

    @Test
    void elementSetsThatArriveWhileTheDatabaseHangsAreIngestedOnceItAnswers() throws Exception {
        Api alice = Api.publisher(TestClient.newTenant());
        int warm = Api.newNorad();
        alice.upload("text/plain", Api.Tles.threeLe("WARM", warm, "24050.00000000")).then().statusCode(200);
        int norad = Api.newNorad();
        String id = UUID.randomUUID().toString();
        OwnPostgresResource.server().process().pause();
        try {
            send(alice.tenant(), codec.encode(CloudEvent.of(id, "/tests/feed", OrbitalElementsV1.TYPE, alice.tenant(),
                    null, Instant.now(), new OrbitalElementsV1(alice.tenant(), "tle",
                            Api.Tles.threeLe("DURING THE HANG", norad, "24050.00000000"), "feed-bot", Instant.now()))));
            Thread.sleep(8_000); // several one-second statement timeouts: three retries would have ended long ago
        } finally {
            OwnPostgresResource.server().process().resume();
        }
        await("the element set reached the catalog after the database returned").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> alice.req().get("/api/v1/orbital/objects/" + norad).statusCode() == 200);
        alice.req().get("/api/v1/orbital/objects/" + norad + "/element-sets").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1));
        assertEquals(0, TopicReader.await("orbital.elements.v1.dlq", r -> r.value().contains(id), 1,
                Duration.ofSeconds(2)).size(), "nothing went to the dead-letter topic");
    }

    @Test
    void uploadsWhileTheDatabaseHangsAnswer503WithinOneStatementsBound() throws Exception {
        Api alice = Api.publisher(TestClient.newTenant());
        alice.upload("text/plain", Api.Tles.threeLe("WARM", Api.newNorad(), "24050.00000000")).then().statusCode(200);
        OwnPostgresResource.server().process().pause();
        try {
            List<long[]> answers = AtOnce.calls(6, Duration.ofSeconds(20), () -> {
                long start = System.nanoTime();
                var r = alice.upload("text/plain", Api.Tles.threeLe("DURING", Api.newNorad(), "24050.00000000"));
                return new long[] { r.statusCode(), (System.nanoTime() - start) / 1_000_000,
                        "2".equals(r.header("Retry-After")) ? 1 : 0 };
            });
            for (long[] a : answers) {
                assertEquals(503, a[0], "status while the database hangs");
                assertEquals(1, a[2], "with Retry-After");
                // statement timeout 5 s (dbp.db.statement-timeout), plus scheduling on a busy machine; 10 s before
                assertTrue(a[1] <= 7_500, "answered in " + a[1] + " ms");
            }
        } finally {
            OwnPostgresResource.server().process().resume();
        }
    }

    @Test
    void uploadsInFlightWhenTheDatabaseFreezesAnswerWithinOneStatementsBound() throws Exception {
        // four clients uploading one object, so that when the database stops some calls are mid-transaction (holding
        // or waiting for the object's row lock): the statement that gets no answer must not be followed by a
        // rollback that waits a bound of its own (10 s in all, found by tests/chaos)
        Api alice = Api.publisher(TestClient.newTenant());
        int norad = Api.newNorad();
        AtomicInteger seq = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger during = new AtomicInteger();
        AtomicBoolean frozen = new AtomicBoolean();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        for (int c = 0; c < 4; c++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    int n = seq.incrementAndGet();
                    String epoch = String.format(Locale.ROOT, "24%03d.%08d", 1 + n / 1000, (n % 1000) * 100_000);
                    boolean startedFrozen = frozen.get();
                    long start = System.nanoTime();
                    var r = alice.upload("text/plain", Api.Tles.threeLe("IN FLIGHT " + n, norad, epoch));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (startedFrozen || frozen.get()) {
                        during.incrementAndGet();
                    }
                    boolean ok = r.statusCode() == 200 || r.statusCode() == 503 && "2".equals(r.header("Retry-After"));
                    if (!ok || millis > 7_500) {
                        wrong.add(r.statusCode() + " in " + millis + " ms: " + r.asString());
                    }
                }
                return null;
            });
        }
        try {
            Thread.sleep(1_500); // the clients under way before the freeze, some of them mid-transaction
            OwnPostgresResource.server().process().pause();
            frozen.set(true);
            Thread.sleep(7_000); // frozen longer than a statement's bound (5 s)
        } finally {
            OwnPostgresResource.server().process().resume();
            frozen.set(false);
        }
        Thread.sleep(2_000); // and on for a while after it answers again
        stop.set(true);
        clients.shutdown();
        assertTrue(clients.awaitTermination(20, TimeUnit.SECONDS), "every call answered");
        assertTrue(during.get() >= 4, during + " calls met the frozen database");
        assertTrue(wrong.isEmpty(), "every call 200, or 503 with Retry-After, within 7.5 s: " + wrong);
    }

    private static void send(String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.ORBITAL_ELEMENTS_V1, key, value)).get();
        }
    }
}
