package io.defensebuilders.testing.quarkus;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A service on a PostgreSQL of its own ({@link OwnPostgresResource}), which a test may freeze and kill, with the shared
 * Kafka and the internal JWT issuer; none of the module's global test resources (they would start the shared
 * database too). For {@code @TestProfile} on the database hang tests.
 */
public class OwnDatabaseProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OwnPostgresResource.class), new TestResourceEntry(KafkaResource.class),
                new TestResourceEntry(InternalJwtResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
