package io.defensebuilders.gateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real sdk-registry and billing, from their packaged jars, for the end-to-end tests: same PostgreSQL (each its
 * own schema), Kafka and Redis, both trusting this gateway's JWKS. Fixes the gateway's test port so they know where
 * the JWKS is before the gateway starts. The registry is the upstream of /api/v1/sdks; billing answers the gateway's
 * plan lookups over gRPC and is the upstream of /api/v1/billing.
 */
public class ServiceProcessesResource implements QuarkusTestResourceLifecycleManager {

    private static int gatewayPort;
    private static int registryPort;
    private static int billingPort;

    @Override
    public synchronized Map<String, String> start() {
        if (gatewayPort == 0) {
            gatewayPort = Ports.free();
            registryPort = Ports.free();
            billingPort = Ports.free();
            int registryManagement = Ports.free();
            int billingManagement = Ports.free();
            ServerProcess registry = start("sdk-registry", registryPort, registryManagement,
                    Map.of("REGISTRY_BLOB_PATH", Path.of("target/e2e-registry-blobs").toAbsolutePath().toString()));
            // its own consumer group on the shared broker; the invoicing job is not what these tests are about
            ServerProcess billing = start("billing", billingPort, billingManagement, Map.of(
                    "DBP_BILLING_INGEST_GROUP_ID", "gateway-e2e-billing-" + System.nanoTime(),
                    "DBP_BILLING_INVOICING_EVERY", "off"));
            waitReady("sdk-registry", registry, registryManagement);
            waitReady("billing", billing, billingManagement);
        }
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.http.test-port", Integer.toString(gatewayPort),
                "dbp.gateway.routes.sdk-registry.url", "http://127.0.0.1:" + registryPort,
                "dbp.gateway.routes.billing.url", "http://127.0.0.1:" + billingPort,
                "quarkus.grpc.clients.billing.host", "127.0.0.1",
                "quarkus.grpc.clients.billing.port", Integer.toString(billingPort),
                // in tests a gRPC client defaults to the application's own test port
                "quarkus.grpc.clients.billing.test-port", Integer.toString(billingPort),
                "dbp.gateway.billing.plan-cache-ttl", "1s"));
        // the services no test starts: a port where nothing listens, whatever runs on this machine's default ports
        int nowhere = Ports.free();
        for (String service : List.of("environment-manager", "analytics", "orbital", "inference", "ai-tools")) {
            config.put("dbp.gateway.routes." + service + ".url", "http://127.0.0.1:" + nowhere);
        }
        return config;
    }

    private static ServerProcess start(String service, int port, int managementPort, Map<String, String> extra) {
        Path jar = Path.of("../" + service + "/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build services/" + service + " first "
                    + "(./mvnw install, or ./platform test, build the reactor in order)");
        }
        SharedInfra.Database db = SharedInfra.postgres();
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort),
                "QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl(),
                "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", db.user(),
                "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfra.kafka(),
                "QUARKUS_REDIS_HOSTS", SharedInfra.redis(),
                "DBP_GATEWAY_URL", "http://127.0.0.1:" + gatewayPort,
                "QUARKUS_OTEL_SDK_DISABLED", "true"));
        env.putAll(extra);
        String java = ProcessHandle.current().info().command().orElse("java");
        return ServerProcess.start(service, List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dquarkus.log.console.json.enabled=false", "-jar", jar.toString()),
                Path.of("target/e2e-" + service + ".log").toAbsolutePath(), null, env, false);
    }

    /** Waits for the service's readiness on its management port. */
    private static void waitReady(String service, ServerProcess process, int managementPort) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
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
        throw new IllegalStateException(service + " did not become ready; see target/e2e-" + service + ".log:\n"
                + process.tail(30));
    }

    @Override
    public void stop() {
        // one per JVM: ServerProcess stops them when the JVM exits
    }
}
