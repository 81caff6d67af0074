package io.defensebuilders.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Every answered call is metered as {@code usage.v1} {@code inference.call} for the calling tenant; refusals are not. */
@QuarkusTest
class UsageTest {

    @Inject
    CloudEventCodec codec;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Test
    void answeredCallsAreMeteredForTheCallerAndRefusedOnesAreNot() throws Exception {
        Api owner = Api.platformAdmin();
        String m = TestClient.unique("metered");
        owner.upload(m, "1", OnnxModels.linear(new float[][] { { 1 }, { 1 }, { 1 } }, new float[] { 0 }), "visibility",
                "public").then().statusCode(201);
        Api bob = Api.viewer(TestClient.newTenant());
        // registered with the first call this service answers
        io.micrometer.core.instrument.Timer seen = metrics.find("dbp.inference.usage.writes").timer();
        long writesBefore = seen == null ? 0 : seen.count();
        String two = "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,1,1,2,2,2]}]}";
        bob.infer(m, two).then().statusCode(200);
        bob.infer(m + "/versions/1", two).then().statusCode(200);
        // refused before the model ran: not metered
        bob.infer(m, two.replace("FP32", "FP64")).then().statusCode(400);

        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1,
                r -> r.value().contains("\"" + m + "\""), 3, Duration.ofSeconds(10));
        assertEquals(2, records.size(), "one event per answered call, none for the refused one");
        assertEquals(writesBefore + 2, metrics.get("dbp.inference.usage.writes").timer().count(),
                "each answered call's write is timed, the refused one has none");
        Set<String> ids = records.stream().map(r -> decode(r.value()).id()).collect(Collectors.toSet());
        assertEquals(2, ids.size());
        CloudEvent<UsageV1> event = decode(records.getFirst().value());
        assertEquals(bob.tenant(), records.getFirst().key());
        UsageV1 usage = event.data();
        assertEquals(bob.tenant(), usage.tenant());
        assertEquals(UsageV1.INFERENCE_CALL, usage.meter());
        assertEquals(0, usage.quantity().compareTo(java.math.BigDecimal.ONE));
        assertEquals(m, usage.attributes().get("model"));
        assertEquals("1", usage.attributes().get("version"));
        assertEquals("platform", usage.attributes().get("ownerTenant"));
        assertEquals("6", usage.attributes().get("elements"));
    }

    private CloudEvent<UsageV1> decode(String json) {
        try {
            return codec.decode(json, UsageV1.class);
        } catch (CloudEventCodec.MalformedEventException e) {
            throw new AssertionError(e);
        }
    }
}
