package io.defensebuilders.testing.quarkus;

import java.util.Map;

import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service's datasource (reactive and JDBC, for Flyway) at a real PostgreSQL database of its own.
 * Use with {@code @QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SharedInfra.Database db = SharedInfra.postgres();
        return Map.of(
                "quarkus.datasource.reactive.url", db.reactiveUrl(),
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.user(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public void stop() {
        // shared by every test of this JVM; SharedInfra removes it when the JVM exits
    }
}
