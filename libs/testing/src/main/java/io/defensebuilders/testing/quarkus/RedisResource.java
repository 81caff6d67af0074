package io.defensebuilders.testing.quarkus;

import java.util.Map;

import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the service's Redis client at a real Redis server. */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.redis.hosts", SharedInfra.redis());
    }

    @Override
    public void stop() {
        // shared by every test of this JVM; SharedInfra removes it when the JVM exits
    }
}
