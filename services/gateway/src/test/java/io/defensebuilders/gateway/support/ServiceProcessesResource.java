package io.defensebuilders.gateway.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.ServiceLaunch;
import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real sdk-registry, billing and inference, from their packaged jars, for the end-to-end tests: same PostgreSQL
 * (each its own schema), Kafka and Redis, all trusting this gateway's JWKS. Fixes the gateway's test port so they know
 * where the JWKS is before the gateway starts. The registry is the upstream of /api/v1/sdks; billing answers the
 * gateway's plan lookups over gRPC and is the upstream of /api/v1/billing; inference serves /api/v1/inference and the
 * Open Inference Protocol, over REST and gRPC, without the platform's own models.
 */
public class ServiceProcessesResource implements QuarkusTestResourceLifecycleManager {

    private static int gatewayPort;
    private static int registryPort;
    private static int billingPort;
    private static int inferencePort;

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
            inferencePort = Ports.free();
            int inferenceManagement = Ports.free();
            // the platform's own models are not what these tests are about (and take seconds to publish): only models
            // the tests upload
            ServerProcess inference = start("inference", inferencePort, inferenceManagement, Map.of(
                    "INFERENCE_MODEL_PATH", Path.of("target/e2e-inference-models").toAbsolutePath().toString(),
                    "DBP_INFERENCE_PLATFORM_MODELS_ENABLED", "false",
                    "BILLING_GRPC_HOST", "127.0.0.1",
                    "BILLING_GRPC_PORT", Integer.toString(billingPort)));
            waitReady(registry, registryManagement);
            waitReady(billing, billingManagement);
            waitReady(inference, inferenceManagement);
        }
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.http.test-port", Integer.toString(gatewayPort),
                "dbp.gateway.routes.sdk-registry.url", "http://127.0.0.1:" + registryPort,
                "dbp.gateway.routes.billing.url", "http://127.0.0.1:" + billingPort,
                "dbp.gateway.routes.inference.url", "http://127.0.0.1:" + inferencePort,
                "quarkus.grpc.clients.billing.host", "127.0.0.1",
                "quarkus.grpc.clients.billing.port", Integer.toString(billingPort),
                // in tests a gRPC client defaults to the application's own test port
                "quarkus.grpc.clients.billing.test-port", Integer.toString(billingPort),
                "dbp.gateway.billing.plan-cache-ttl", "1s"));
        // the services no test starts: a port where nothing listens, whatever runs on this machine's default ports
        int nowhere = Ports.free();
        for (String service : List.of("environment-manager", "analytics", "orbital", "ai-tools")) {
            config.put("dbp.gateway.routes." + service + ".url", "http://127.0.0.1:" + nowhere);
        }
        return config;
    }

    private static ServerProcess start(String service, int port, int managementPort, Map<String, String> extra) {
        return ServiceLaunch.packaged(service)
                .ports(port, managementPort)
                .database(SharedInfra.postgres())
                .kafka(SharedInfra.kafka())
                .redis(SharedInfra.redis())
                .gateway("http://127.0.0.1:" + gatewayPort)
                .env(extra)
                // native access: ONNX Runtime (inference) loads its library
                .jvmOptions(List.of("-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"))
                .log(Path.of("target/e2e-" + service + ".log").toAbsolutePath())
                .start();
    }

    /** Waits for the service's readiness on its management port. */
    private static void waitReady(ServerProcess process, int managementPort) {
        ServiceLaunch.awaitReady(process, managementPort, Duration.ofSeconds(90));
    }

    @Override
    public void stop() {
        // one per JVM: ServerProcess stops them when the JVM exits
    }
}
