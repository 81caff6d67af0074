package io.defensebuilders.orbital;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalCatalogV1;
import io.defensebuilders.contracts.events.OrbitalElementsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.infra.SharedInfra;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Element sets arriving on orbital.elements.v1, and orbital.catalog.v1 going out, on the real broker. */
@QuarkusTest
class KafkaIngestTest {

    private static final String DLQ = "orbital.elements.v1.dlq";

    @Inject
    CloudEventCodec codec;

    private final Api alice = Api.publisher(TestClient.newTenant());

    private void send(String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.ORBITAL_ELEMENTS_V1, alice.tenant(), value)).get();
        }
    }

    private String event(String id, String format, String content) {
        OrbitalElementsV1 data = new OrbitalElementsV1(alice.tenant(), format, content, "feed-bot", Instant.now());
        return codec.encode(CloudEvent.of(id, "/tests/feed", OrbitalElementsV1.TYPE, alice.tenant(), null, Instant.now(),
                data));
    }

    /** Polls the catalog (for 30 s) until the object appears: the consumer is asynchronous. */
    private void awaitInCatalog(int norad, String what) {
        await(what).atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> inCatalog(norad));
    }

    private boolean inCatalog(int norad) {
        return alice.req().get("/api/v1/orbital/objects/" + norad).statusCode() == 200;
    }

    private int historySize(int norad) {
        return alice.req().get("/api/v1/orbital/objects/" + norad + "/element-sets").then().statusCode(200).extract()
                .jsonPath().getList("items").size();
    }

    @Test
    void elementSetsFromKafkaAreIngestedOnceIntoTheSharedCatalogAndRecordTheirTenant() throws Exception {
        int norad = Api.newNorad();
        String id = UUID.randomUUID().toString();
        send(event(id, "tle", Api.Tles.threeLe("FROM KAFKA", norad, "24050.00000000")));
        awaitInCatalog(norad, "the element set reaches the catalog");
        // the topic is trusted: the shared catalog, which every tenant reads
        Api.viewer(TestClient.newTenant()).req().get("/api/v1/orbital/objects/" + norad).then().statusCode(200)
                .body("scope", org.hamcrest.Matchers.equalTo("shared"))
                .body("currentElementSet.scope", org.hamcrest.Matchers.equalTo("shared"))
                .body("currentElementSet.ingestedBy", org.hamcrest.Matchers.nullValue());
        String setId = alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo("FROM KAFKA"))
                .body("currentElementSet.ingestedBy.tenant", org.hamcrest.Matchers.equalTo(alice.tenant()))
                .body("currentElementSet.ingestedBy.subject", org.hamcrest.Matchers.equalTo("feed-bot"))
                .extract().jsonPath().getString("currentElementSet.id");

        // a redelivery of the same event (same source and id) changes nothing, even with other content
        send(event(id, "tle", Api.Tles.threeLe("FROM KAFKA", norad, "24051.00000000")));
        // the next event proves the consumer has moved past the redelivery
        int marker = Api.newNorad();
        send(event(UUID.randomUUID().toString(), "tle", Api.Tles.threeLe("MARKER", marker, "24050.00000000")));
        awaitInCatalog(marker, "the marker after the redelivery reaches the catalog");
        assertEquals(1, historySize(norad), "the redelivered event was ignored");
        alice.req().get("/api/v1/orbital/objects/" + norad).then()
                .body("currentElementSet.id", org.hamcrest.Matchers.equalTo(setId));
    }

    @Test
    void unusableRecordsGoToTheDeadLetterTopicAndTheConsumerMovesOn() throws Exception {
        int bad = Api.newNorad();
        String[] lines = Api.Tles.of(bad, "24050.00000000");
        String brokenChecksum = lines[0] + "\n" + lines[1].substring(0, 68) + ((lines[1].charAt(68) - '0' + 1) % 10);
        String badId = UUID.randomUUID().toString();
        send(event(badId, "tle", brokenChecksum));
        send("this is not a CloudEvent " + badId);
        java.time.ZonedDateTime later = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusDays(30);
        send(event(badId + "-future", "tle", Api.Tles.threeLe("FUTURE", bad, String.format("%02d%03d.00000000",
                later.getYear() % 100, later.getDayOfYear()))));
        int after = Api.newNorad();
        send(event(UUID.randomUUID().toString(), "omm-kvn", Api.kvn("KVN FROM KAFKA", after, "2024-02-19T00:00:00",
                "0.0001")));
        awaitInCatalog(after, "the consumer moved past the bad records");
        assertFalse(inCatalog(bad), "nothing of the bad records reached the catalog");

        List<ConsumerRecord<String, String>> dead = TopicReader.await(DLQ, r -> r.value().contains(badId), 3,
                Duration.ofSeconds(20));
        assertEquals(3, dead.size());
        String reasons = dead.stream().map(r -> new String(r.headers().lastHeader("dead-letter-reason").value(),
                StandardCharsets.UTF_8)).reduce("", String::concat);
        assertTrue(reasons.contains("line 2: checksum"), reasons);
        assertTrue(reasons.contains("CloudEvents"), reasons);
        assertTrue(reasons.contains("line 2: epoch"), "a future epoch is refused: " + reasons);
    }

    @Test
    void everyNewElementSetIsAnnouncedOnOrbitalCatalogV1() throws Exception {
        int norad = Api.newNorad();
        String older = Api.Tles.threeLe("ANNOUNCED", norad, "24060.00000000");
        String newer = Api.Tles.threeLe("ANNOUNCED", norad, "24061.00000000");
        alice.upload("text/plain", newer + older).then().statusCode(200);
        alice.upload("text/plain", newer).then().statusCode(200); // a duplicate: no event
        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.ORBITAL_CATALOG_V1,
                r -> r.value().contains("\"noradId\":" + norad + ","), 3, Duration.ofSeconds(6));
        assertEquals(2, records.size());
        for (ConsumerRecord<String, String> r : records) {
            assertEquals(alice.tenant(), r.key());
            CloudEvent<OrbitalCatalogV1> e = codec.decode(r.value(), OrbitalCatalogV1.class);
            assertEquals(OrbitalCatalogV1.ELEMENT_SET_INGESTED, e.type());
            // alice's upload is her overlay: private events name her
            assertEquals("/services/orbital/tenants/" + alice.tenant(), e.source());
            assertEquals(e.id(), e.data().elementSetId());
            assertEquals(alice.tenant(), e.data().tenant());
            assertEquals("tle", e.data().format());
            assertEquals(e.data().epoch().toString().startsWith("2024-03-01"), e.data().current(),
                    "only the newer one (day 61 = 1 March) became current");
        }
    }
}
