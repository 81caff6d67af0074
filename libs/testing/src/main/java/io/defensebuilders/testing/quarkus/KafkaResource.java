package io.defensebuilders.testing.quarkus;

import java.util.Map;

import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the service's Kafka clients at a real broker. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedInfra.kafka());
    }

    @Override
    public void stop() {
        // shared by every test of this JVM; SharedInfra removes it when the JVM exits
    }
}
