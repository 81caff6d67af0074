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

    private CloudEvent<UsageV1> decode(String json) {
        try {
            return codec.decode(json, UsageV1.class);
        } catch (CloudEventCodec.MalformedEventException e) {
            throw new AssertionError(e);
        }
    }
}
