package io.defensebuilders.aitools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.ServiceLaunch;
import io.defensebuilders.testing.infra.SharedInfra;
import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The services the tools call, from their packaged jars: sdk-registry, orbital, billing and inference (whose text
 * embedding model "ask the docs" calls over gRPC), on the shared PostgreSQL (each its own schema), Kafka and Redis,
 * trusting the tests' JWKS as they trust the gateway's. The services no test calls point at a port where nothing
 * listens: a tool over them answers that the service is unavailable.
 */
public class PlatformServicesResource implements QuarkusTestResourceLifecycleManager {

    private static final List<String> STARTED = List.of("sdk-registry", "orbital", "billing", "inference");
    private static final Map<String, Integer> PORTS = new HashMap<>();

    @Override
    public synchronized Map<String, String> start() {
        if (PORTS.isEmpty()) {
            String jwks = InternalJwtResource.issuer().serve();
            Map<String, ServerProcess> processes = new HashMap<>();
            Map<String, Integer> management = new HashMap<>();
            for (String service : STARTED) {
                PORTS.put(service, Ports.free());
                management.put(service, Ports.free());
            }
            for (String service : STARTED) {
                processes.put(service, ServiceLaunch.packaged(service)
                        .ports(PORTS.get(service), management.get(service))
                        .database(SharedInfra.postgres())
                        .kafka(SharedInfra.kafka())
                        .redis(SharedInfra.redis())
                        .gateway(jwks)
                        .env(Map.of("REGISTRY_BLOB_PATH", Path.of("target/e2e-registry-blobs").toAbsolutePath().toString(),
                                "DBP_BILLING_INGEST_GROUP_ID", "ai-tools-e2e-billing-" + System.nanoTime(),
                                "DBP_BILLING_INVOICING_EVERY", "off",
                                "INFERENCE_MODEL_PATH", Path.of("target/e2e-inference-models").toAbsolutePath().toString()))
                        // inference asks billing for plan limits (gRPC on billing's HTTP port)
                        .peer("billing", "127.0.0.1", List.of(PORTS.get("billing")), List.of(management.get("billing")))
                        // orbital holds a whole-catalog screening's ephemerides in memory
                        .jvmOptions(List.of(service.equals("orbital") ? "-Xmx768m" : "-Xmx256m", "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"))
                        .log(Path.of("target/e2e-" + service + ".log").toAbsolutePath())
                        .start());
            }
            for (String service : STARTED) {
                ServiceLaunch.awaitReady(processes.get(service), management.get(service), Duration.ofSeconds(120));
            }
        }
        Map<String, String> config = new HashMap<>();
        PORTS.forEach((service, port) -> config.put("dbp.ai-tools.services." + service + ".url",
                "http://127.0.0.1:" + port));
        int nowhere = Ports.free();
        config.put("quarkus.grpc.clients.inference.host", "127.0.0.1");
        config.put("quarkus.grpc.clients.inference.port", Integer.toString(PORTS.get("inference")));
        // in tests a client goes to test-port, which is the service under test's own unless set
        config.put("quarkus.grpc.clients.inference.test-port", Integer.toString(PORTS.get("inference")));
        for (String service : List.of("environment-manager", "analytics")) {
            config.put("dbp.ai-tools.services." + service + ".url", "http://127.0.0.1:" + nowhere);
        }
        return config;
    }

    @Override
    public void stop() {
        // one per JVM: ServerProcess stops them when the JVM exits
    }
}
