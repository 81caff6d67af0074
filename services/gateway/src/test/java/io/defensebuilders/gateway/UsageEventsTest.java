package io.defensebuilders.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

/** Every proxied call becomes one usage.v1 api.call event, read back from the real broker. */
@QuarkusTest
class UsageEventsTest {

    @Inject
    CloudEventCodec codec;

    @Test
    void everyCallIsMeteredForItsTenant() throws Exception {
        String tenant = Gw.newTenant("enterprise");
        String key = Gw.key(tenant, "viewer");
        for (int i = 0; i < 5; i++) {
            Gw.as(key).header("X-Request-Id", "usage-" + tenant + "-" + i).get("/api/v1/stub/echo").then().statusCode(200);
        }
        Gw.as(key).get("/api/v1/down/x").then().statusCode(503);

        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1, r -> tenant.equals(r.key()), 7,
                Duration.ofSeconds(8));
        assertEquals(6, records.size());
        List<UsageV1> usage = records.stream().map(r -> decode(r.value()).data()).toList();
        usage.forEach(u -> {
            assertEquals(tenant, u.tenant());
            assertEquals(UsageV1.API_CALL, u.meter());
            assertEquals("GET", u.attributes().get("method"));
        });
        Map<String, Long> byRoute = usage.stream().collect(Collectors.groupingBy(u -> u.attributes().get("route") + " "
                + u.attributes().get("status"), Collectors.counting()));
        assertEquals(Map.of("stub 200", 5L, "down 503", 1L), byRoute);
        assertEquals(6, records.stream().map(r -> decode(r.value()).id()).distinct().count());
    }

    /**
     * The event is written before the answer's end, so its size comes from what passed through, not from the
     * response afterwards: a streamed download's every byte, and a refusal's problem body.
     */
    @Test
    void eventsCarryTheStatusAndSizeOfWhatWasAnswered() throws Exception {
        String tenant = Gw.newTenant("tiny"); // three calls, then 429
        String key = Gw.key(tenant, "viewer");
        int size = 300_001; // several chunks of the stub's 64 KiB
        for (int i = 0; i < 3; i++) {
            byte[] got = Gw.as(key).get("/api/v1/stub/download?size=" + size).then().statusCode(200).extract()
                    .asByteArray();
            assertEquals(size, got.length);
        }
        byte[] refusal = Gw.as(key).get("/api/v1/stub/download?size=" + size).then().statusCode(429).extract()
                .asByteArray();

        List<UsageV1> usage = TopicReader.await(Topics.USAGE_V1, r -> tenant.equals(r.key()), 5, Duration.ofSeconds(8))
                .stream().map(r -> decode(r.value()).data()).toList();
        Map<String, Long> byStatusAndSize = usage.stream().collect(Collectors.groupingBy(
                u -> u.attributes().get("status") + " " + u.attributes().get("bytesOut"), Collectors.counting()));
        assertEquals(Map.of("200 " + size, 3L, "429 " + refusal.length, 1L), byStatusAndSize);
    }

    private CloudEvent<UsageV1> decode(String json) {
        try {
            return codec.decode(json, UsageV1.class);
        } catch (CloudEventCodec.MalformedEventException e) {
            throw new AssertionError(e);
        }
    }
}
