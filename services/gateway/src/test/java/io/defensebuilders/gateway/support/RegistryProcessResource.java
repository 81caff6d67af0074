package io.defensebuilders.gateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real sdk-registry, from its packaged jar, as the upstream of the end-to-end tests: same PostgreSQL (its own
 * schema), Kafka and Redis, and trusting this gateway's JWKS. Fixes the gateway's test port so the registry knows
 * where the JWKS is before the gateway starts.
 */
public class RegistryProcessResource implements QuarkusTestResourceLifecycleManager {

    private static ServerProcess registry;
    private static int gatewayPort;
    private static int registryPort;

    @Override
    public synchronized Map<String, String> start() {
        if (registry == null) {
            Path jar = Path.of("../sdk-registry/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build services/sdk-registry first "
                        + "(./mvnw install, or ./platform test, build the reactor in order)");
            }
            gatewayPort = Ports.free();
            registryPort = Ports.free();
            SharedInfra.Database db = SharedInfra.postgres();
            Map<String, String> env = Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(registryPort),
                    "QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl(),
                    "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", db.user(),
                    "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                    "KAFKA_BOOTSTRAP_SERVERS", SharedInfra.kafka(),
                    "QUARKUS_REDIS_HOSTS", SharedInfra.redis(),
                    "DBP_GATEWAY_URL", "http://127.0.0.1:" + gatewayPort,
                    "QUARKUS_OTEL_SDK_DISABLED", "true",
                    "REGISTRY_BLOB_PATH", Path.of("target/e2e-registry-blobs").toAbsolutePath().toString());
            String java = ProcessHandle.current().info().command().orElse("java");
            registry = ServerProcess.start("sdk-registry", List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                    "-Dquarkus.log.console.json.enabled=false", "-jar", jar.toString()),
                    Path.of("target/e2e-sdk-registry.log").toAbsolutePath(), null, env, false);
            waitReady();
        }
        return Map.of(
                "quarkus.http.test-port", Integer.toString(gatewayPort),
                "dbp.gateway.routes.sdk-registry.url", "http://127.0.0.1:" + registryPort);
    }

    private static void waitReady() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            registry.requireAlive();
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (Exception ignored) {
                // not yet
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("sdk-registry did not become ready; see target/e2e-sdk-registry.log:\n"
                + registry.tail(30));
    }

    @Override
    public void stop() {
        // one per JVM: ServerProcess stops it when the JVM exits
    }
}
