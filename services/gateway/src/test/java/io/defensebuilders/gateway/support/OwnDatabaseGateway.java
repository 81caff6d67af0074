package io.defensebuilders.gateway.support;

import java.util.List;

import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.defensebuilders.testing.quarkus.RedisResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The gateway on a PostgreSQL of its own (empty at start, and one a test may freeze), with the shared Kafka and Redis
 * and the stub upstream, none of the other global resources. Subclasses add their configuration.
 */
public abstract class OwnDatabaseGateway implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OwnPostgresResource.class), new TestResourceEntry(KafkaResource.class),
                new TestResourceEntry(RedisResource.class), new TestResourceEntry(RateLimitRedisResource.class),
                new TestResourceEntry(StubUpstreamResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
