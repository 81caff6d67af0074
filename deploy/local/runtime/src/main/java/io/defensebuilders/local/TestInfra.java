package io.defensebuilders.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.defensebuilders.testing.infra.KafkaServer;
import io.defensebuilders.testing.infra.KeycloakServer;
import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.PostgresServer;
import io.defensebuilders.testing.infra.RedisServer;
import io.defensebuilders.testing.infra.RegistryServer;
import io.defensebuilders.testing.infra.SharedInfra;
import io.defensebuilders.testing.infra.TempRoot;

/**
 * {@code platform test}: starts one throw-away PostgreSQL, Kafka, Redis and Keycloak for the whole test run, writes the
 * environment that points every module's tests at them ({@link SharedInfra}'s variables) to a file, and keeps them
 * until this process is told to stop. Each module's tests then create their own database instead of their own
 * servers.
 */
final class TestInfra {

    private TestInfra() {
    }

    static int run(Map<String, String> options) throws Exception {
        Path envFile = Path.of(options.getOrDefault("env-file", "target/test-infra.env"));
        Path root = TempRoot.create("dbp-test-run-");
        // the slowest to start (10-30 s), and only the gateway's tests, minutes into the build, need it: started beside
        // the others and not waited for (SharedInfra waits when a test first asks for it)
        int keycloakPort = Ports.free();
        String keycloakPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        CompletableFuture<KeycloakServer> keycloak = CompletableFuture.supplyAsync(() -> KeycloakServer.start(
                root.resolve("keycloak"), keycloakPort, Ports.free(), false, keycloakPassword));
        keycloak.whenComplete((server, failure) -> {
            if (failure != null) {
                LocalRuntime.say("Keycloak did not start (the tests that sign in will fail): " + failure.getMessage());
            } else {
                LocalRuntime.say("Keycloak ready on " + server.port());
            }
        });
        PostgresServer pg = PostgresServer.start(root.resolve("postgres"), Ports.free(), false, false);
        RedisServer redis = RedisServer.start(root.resolve("redis"), Ports.free(), false, false);
        KafkaServer kafka = KafkaServer.start(root.resolve("kafka"), Ports.free(), 768, false);
        // images are built and pushed during the run where a registry can run here (Debian's docker-registry)
        String registry = RegistryServer.binary()
                .map(binary -> RegistryServer.start(binary, root.resolve("registry"), Ports.free()).address())
                .orElse(null);
        String env = String.join("\n",
                "export " + SharedInfra.POSTGRES_JDBC_URL_ENV + "=" + pg.jdbcUrl("postgres"),
                "export " + SharedInfra.POSTGRES_USER_ENV + "=" + PostgresServer.USER,
                "export " + SharedInfra.POSTGRES_PASSWORD_ENV + "=" + PostgresServer.PASSWORD,
                "export " + SharedInfra.KAFKA_ENV + "=" + kafka.bootstrapServers(),
                "export " + SharedInfra.REDIS_ENV + "=" + redis.url(),
                "export " + SharedInfra.KEYCLOAK_ENV + "=http://127.0.0.1:" + keycloakPort,
                "export " + SharedInfra.KEYCLOAK_ADMIN_PASSWORD_ENV + "=" + keycloakPassword,
                registry == null ? "" : "export " + SharedInfra.IMAGE_REGISTRY_ENV + "=" + registry, "");
        Files.createDirectories(envFile.toAbsolutePath().getParent());
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE);
        LocalRuntime.say("test infrastructure ready: PostgreSQL " + pg.port() + ", Kafka " + kafka.port() + ", Redis "
                + redis.port() + ", Keycloak " + keycloakPort + " (starting)"
                + (registry == null ? " (no image registry: docker-registry is not installed)"
                        : ", image registry " + registry));
        // until SIGTERM; the servers' shutdown hooks stop them
        Thread.currentThread().join();
        return 0;
    }
}
