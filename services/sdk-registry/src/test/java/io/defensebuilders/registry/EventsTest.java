package io.defensebuilders.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.RegistryV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The events, as read back from the real broker: CloudEvents 1.0, keyed by tenant, one per fact. */
@QuarkusTest
class EventsTest {

    @Inject
    CloudEventCodec codec;

    private final Api alice = Api.publisher(TestClient.newTenant());

    @Test
    void registryLifecycleEventsReachKafka() throws Exception {
        String sdk = alice.createSdk(TestClient.unique("evented"), "public");
        alice.publish(sdk, "1.0.0");
        alice.req().body(Map.of("reason", "broken build")).post("/api/v1/sdks/" + sdk + "/versions/1.0.0/yank").then()
                .statusCode(200);
        alice.req().body(Map.of("message", "use 2.x")).post("/api/v1/sdks/" + sdk + "/versions/1.0.0/deprecate").then()
                .statusCode(200);
        // refused writes roll back with their outbox rows: no event for them
        alice.req().body(Map.of("version", "1.0.0")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(409);
        Api.publisher(TestClient.newTenant()).req().body(Map.of("reason", "x"))
                .post("/api/v1/sdks/" + sdk + "/versions/1.0.0/yank").then().statusCode(403);

        // ask for one more than expected: the wait runs out, and proves there is no fifth event
        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.REGISTRY_V1,
                r -> r.value().contains("\"" + sdk + "\""), 5, Duration.ofSeconds(6));
        assertEquals(4, records.size());
        List<CloudEvent<RegistryV1>> events = records.stream().map(r -> decode(r.value(), RegistryV1.class)).toList();
        assertEquals(List.of(RegistryV1.SDK_PUBLISHED, RegistryV1.VERSION_PUBLISHED, RegistryV1.VERSION_YANKED,
                RegistryV1.VERSION_DEPRECATED), events.stream().map(CloudEvent::type).toList());
        for (ConsumerRecord<String, String> r : records) {
            assertEquals(alice.tenant(), r.key());
            assertEquals(CloudEvent.STRUCTURED_CONTENT_TYPE,
                    new String(r.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
        }
        CloudEvent<RegistryV1> yanked = events.get(2);
        assertEquals("1.0", yanked.specversion());
        assertEquals("/services/sdk-registry", yanked.source());
        assertEquals(sdk + "@1.0.0", yanked.subject());
        assertEquals("broken build", yanked.data().reason());
        assertEquals(alice.tenant(), yanked.tenant());
        assertEquals(4, events.stream().map(CloudEvent::id).collect(Collectors.toSet()).size());
    }

    @Test
    void downloadsEmitUsageForTheDownloadingTenant() {
        String sdk = alice.createSdk(TestClient.unique("metered"), "public");
        alice.publish(sdk, "1.0.0");
        alice.req().contentType("application/gzip").body(new byte[1234]).put("/api/v1/sdks/" + sdk + "/versions/1.0.0/artifact")
                .then().statusCode(200);
        Api bob = Api.viewer(TestClient.newTenant());
        bob.req().get("/api/v1/sdks/" + sdk + "/versions/1.0.0/artifact").then().statusCode(200);
        bob.req().get("/api/v1/sdks/" + sdk + "/versions/1.0.0/artifact").then().statusCode(200);

        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1,
                r -> r.value().contains("\"" + sdk + "\""), 2, Duration.ofSeconds(30));
        assertEquals(2, records.size());
        Set<String> ids = records.stream().map(r -> decode(r.value(), UsageV1.class).id()).collect(Collectors.toSet());
        assertEquals(2, ids.size());
        CloudEvent<UsageV1> event = decode(records.getFirst().value(), UsageV1.class);
        assertEquals(UsageV1.TYPE, event.type());
        assertEquals(bob.tenant(), records.getFirst().key());
        UsageV1 usage = event.data();
        assertEquals(bob.tenant(), usage.tenant());
        assertEquals(UsageV1.ARTIFACT_DOWNLOAD, usage.meter());
        assertEquals(0, usage.quantity().compareTo(java.math.BigDecimal.ONE));
        assertEquals("1234", usage.attributes().get("bytes"));
        assertEquals(alice.tenant(), usage.attributes().get("ownerTenant"));
        assertNotNull(usage.occurredAt());
    }

    private <T> CloudEvent<T> decode(String json, Class<T> type) {
        try {
            return codec.decode(json, type);
        } catch (CloudEventCodec.MalformedEventException e) {
            throw new AssertionError(e);
        }
    }
}
