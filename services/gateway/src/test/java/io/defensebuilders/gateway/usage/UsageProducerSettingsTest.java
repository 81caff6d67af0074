package io.defensebuilders.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageProducerSettingsTest {

    @Test
    void operatorSettingsOverTheDefaults() {
        Properties props = UsageRecorder.producerProperties("kafka:9092", Map.of("compression.type", "gzip",
                "linger.ms", "50"));

        assertEquals("gzip", props.get("compression.type"));
        assertEquals("50", props.get("linger.ms"));
        assertEquals("all", props.get("acks"), "a default nobody changed stays");
        assertEquals("kafka:9092", props.get("bootstrap.servers"));
        assertEquals(StringSerializer.class.getName(), props.get("value.serializer"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "bootstrap.servers", "BOOTSTRAP_SERVERS", "value.serializer", "key-serializer" })
    void theServersAndSerializersAreRefusedNotIgnored(String key) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> UsageRecorder.producerProperties("kafka:9092", Map.of(key, "elsewhere:9092")));

        assertTrue(refused.getMessage().contains("dbp.gateway.usage.producer." + key), refused.getMessage());
        assertTrue(refused.getMessage().contains("kafka.bootstrap.servers"), refused.getMessage());
    }
}
