package io.defensebuilders.testing.quarkus;

import java.nio.file.Path;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.PostgresServer;
import io.defensebuilders.testing.infra.TempRoot;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL server for one test class alone, so that it can freeze it ({@code server().process().pause()}) or
 * stop it without disturbing the database every other test shares. Use with
 * {@code @QuarkusTestResource(value = OwnPostgresResource.class, restrictToAnnotatedClass = true)}: the application
 * restarts for that class, against this server.
 */
public class OwnPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static PostgresServer server;
    private static Path dir;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            dir = TempRoot.create("dbp-own-postgres-");
            server = PostgresServer.start(dir.resolve("data"), Ports.free(), false, false);
            server.createDatabase("dbp");
        }
        String url = "127.0.0.1:" + server.port() + "/dbp";
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + url,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + url,
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    /** The server of the running test class. */
    public static synchronized PostgresServer server() {
        return server;
    }

    /** Starts the server again on its port and data after a test stopped it. */
    public static synchronized void restart() {
        server = PostgresServer.start(dir.resolve("data"), server.port(), false, false);
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.process().resume(); // a test that failed while it was frozen
            server.stop();
            server = null;
        }
    }
}
