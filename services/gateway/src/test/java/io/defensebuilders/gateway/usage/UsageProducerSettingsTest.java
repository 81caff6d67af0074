package io.defensebuilders.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class UsageProducerSettingsTest {

    @Test
    void operatorSettingsOverTheDefaultsButNotTheServersOrSerializers() {
        Properties props = UsageRecorder.producerProperties("kafka:9092", Map.of("compression.type", "gzip",
                "linger.ms", "50", "bootstrap.servers", "elsewhere:9092", "value.serializer", "x.Bogus"));

        assertEquals("gzip", props.get("compression.type"));
        assertEquals("50", props.get("linger.ms"));
        assertEquals("all", props.get("acks"), "a default nobody changed stays");
        assertEquals("kafka:9092", props.get("bootstrap.servers"));
        assertEquals(StringSerializer.class.getName(), props.get("value.serializer"));
    }
}
