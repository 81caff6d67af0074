package io.defensebuilders.testing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and environment every starter of a service gets from ServiceLaunch, and its start. */
class ServiceLaunchTest {

    @TempDir
    Path dir;

    @Test
    void commandIsThisJavaThenOptionsThenSystemPropertiesThenTheJar() {
        Path jar = Path.of("/srv/billing/quarkus-run.jar");
        List<String> command = ServiceLaunch.of("billing", jar).jvmOptions(List.of("-Xmx384m", "-XX:+UseSerialGC"))
                .systemProperty("dbp.billing.ingest.topic", "t").commandLine();
        assertEquals(List.of(ServiceLaunch.javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dvertx.disableURIValidation=true",
                "-Ddbp.billing.ingest.topic=t", "-jar", jar.toString()), command);
    }

    @Test
    void aWholeCommandReplacesJavaAndItsOptions() {
        List<String> image = List.of("/image/bin/java", "-XX:AOTCacheOutput=/c/app.aot", "-jar", "/image/app.jar");
        assertEquals(image, ServiceLaunch.of("gateway", Path.of("ignored.jar")).jvmOptions(List.of("-Xmx1g"))
                .command(image).commandLine());
    }

    @Test
    void environmentNamesPortsInfrastructureAndGatewayOverLocalDefaults() {
        Map<String, String> env = ServiceLaunch.of("billing", Path.of("b.jar")).ports(8083, 9083)
                .database(new SharedInfra.Database("127.0.0.1", 5433, "tests", "u", "p"))
                .kafka("127.0.0.1:9093").redis("redis://127.0.0.1:6380").gateway("http://127.0.0.1:8080")
                .env(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "DBP_BILLING_INVOICING_EVERY", "off"))
                .environment();
        assertEquals("8083", env.get("QUARKUS_HTTP_PORT"));
        assertEquals("9083", env.get("QUARKUS_MANAGEMENT_PORT"));
        assertEquals("postgresql://127.0.0.1:5433/tests", env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertEquals("jdbc:postgresql://127.0.0.1:5433/tests", env.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("u", env.get("QUARKUS_DATASOURCE_USERNAME"));
        assertEquals("p", env.get("QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals("127.0.0.1:9093", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("redis://127.0.0.1:6380", env.get("QUARKUS_REDIS_HOSTS"));
        assertEquals("http://127.0.0.1:8080", env.get("DBP_GATEWAY_URL"));
        assertEquals("true", env.get("QUARKUS_OTEL_SDK_DISABLED"), "no trace collector runs outside a cluster");
        assertEquals("true", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), "a caller's setting wins over a default");
        assertEquals("off", env.get("DBP_BILLING_INVOICING_EVERY"));
    }

    @Test
    void databaseWithoutLoginLeavesTheServicesDefaultLogin() {
        Map<String, String> env = ServiceLaunch.of("gateway", Path.of("g.jar")).database("127.0.0.1", 5432, "dbp")
                .environment();
        assertEquals("postgresql://127.0.0.1:5432/dbp", env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertFalse(env.containsKey("QUARKUS_DATASOURCE_USERNAME"));
        assertFalse(env.containsKey("QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals("false", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), "plain-text logs by default");
    }

    @Test
    void peerListsEveryReplicaAndGivesGrpcTheFirst() {
        Map<String, String> env = ServiceLaunch.of("gateway", Path.of("g.jar"))
                .peer("sdk-registry", "localhost", List.of(8081, 8091), List.of(9081, 9091)).environment();
        assertEquals("http://localhost:8081,http://localhost:8091", env.get("SDK_REGISTRY_URL"));
        assertEquals("http://localhost:9081/q/health/ready,http://localhost:9091/q/health/ready",
                env.get("SDK_REGISTRY_HEALTH"));
        assertEquals("localhost", env.get("SDK_REGISTRY_GRPC_HOST"));
        assertEquals("8081", env.get("SDK_REGISTRY_GRPC_PORT"));
    }

    @Test
    void startsTheCommandWithTheEnvironmentInItsDirectoryAndReportsItsExit() throws Exception {
        Path log = dir.resolve("logs/svc.log");
        ServerProcess p = ServiceLaunch.of("svc", Path.of("x.jar")).ports(1234, 2234).env("EXTRA", "yes")
                .command(List.of("sh", "-c", "echo $QUARKUS_HTTP_PORT $EXTRA $QUARKUS_OTEL_SDK_DISABLED; pwd; exit 3"))
                .workDir(dir).log(log).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, p.exitCode().orElseThrow());
        assertEquals(List.of("1234 yes true", dir.toRealPath().toString()), Files.readAllLines(log));
    }

    @Test
    void awaitReadyFailsWithTheLogWhenTheServiceExits() {
        ServerProcess p = ServiceLaunch.of("crashing", Path.of("x.jar")).command(List.of("sh", "-c", "echo boom"))
                .log(dir.resolve("crashing.log")).start();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceLaunch.awaitReady(p, Ports.free(), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }
}
