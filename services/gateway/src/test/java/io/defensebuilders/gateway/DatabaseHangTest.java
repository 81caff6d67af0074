package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.OwnDatabaseGateway;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

/**
 * The gateway while its PostgreSQL hangs (SIGSTOP of every server process): a key verified before keeps working
 * (the shared Redis cache and the tenant's cached plan answer), calls that need the database answer 503 with
 * Retry-After within seconds (a key never seen cannot be checked: 503, not 401), readiness is DOWN and liveness UP,
 * and it all works again by itself when the database answers.
 */
@QuarkusTest
@TestProfile(DatabaseHangTest.OwnDatabase.class)
class DatabaseHangTest {

    private static final String KEY_FILE = "target/bootstrap-api-key-own-database";
    private static final long BOUND_MILLIS = 7_500;
    /** A call that hangs (the behaviour under test broke) fails the test instead of waiting for the database. */
    private static final RestAssuredConfig GIVE_UP = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.socket.timeout", (int) (2 * BOUND_MILLIS)));

    public static class OwnDatabase extends OwnDatabaseGateway {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a key file of its own: the other tests' bootstrap key belongs to the shared database
            // plans refreshed every second, so that lookups fail while the database hangs: the plan must stay
            return Map.of("dbp.gateway.bootstrap.key-file", KEY_FILE, "dbp.gateway.billing.plan-cache-ttl", "1s");
        }
    }

    @Test
    void verifiedKeysKeepWorkingWhileTheDatabaseHangs_andTheRestIsA503WithinSeconds() throws Exception {
        String admin = Files.readString(Path.of(KEY_FILE)).trim();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Gw.as(admin).body(Map.of("id", tenant, "name", "Hang test", "plan", "enterprise")).post("/api/v1/tenants").then()
                .statusCode(201);
        String key = Gw.as(admin).body(Map.of("name", "k", "roles", List.of("viewer"), "tenant", tenant))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("secret");
        String neverUsed = Gw.as(admin).body(Map.of("name", "k2", "roles", List.of("viewer"), "tenant", tenant))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("secret");
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);

        OwnPostgresResource.server().process().pause();
        try {
            // past the replica's own one-second key cache, so the shared cache and the plan cache must answer, and
            // past a failed plan lookup (statement timeout, 5 s), which must leave the plan as it was
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int calls = 0;
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                Response r = Gw.as(key).config(GIVE_UP).get("/api/v1/stub/echo");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, r.statusCode(), "a verified key while the database hangs: " + r.asString());
                assertTrue(millis < 1_000, "answered from caches, in " + millis + " ms");
                calls++;
                Thread.sleep(50); // calls spread over the whole hang, not a wait for a condition
            }
            assertTrue(calls > 20, calls + " calls");
            long start = System.nanoTime();
            Response unknown = Gw.as(neverUsed).config(GIVE_UP).get("/api/v1/stub/echo");
            assertEquals(503, unknown.statusCode(), "a key that cannot be checked: " + unknown.asString());
            assertEquals("2", unknown.header("Retry-After"));
            assertEquals("application/problem+json", unknown.contentType());
            Response tenantRead = Gw.as(admin).config(GIVE_UP).get("/api/v1/tenants/" + tenant);
            assertEquals(503, tenantRead.statusCode(), tenantRead.asString());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2 * BOUND_MILLIS, "both answered within bounds");
            await("readiness DOWN").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health("ready") == 503);
            assertEquals(200, health("live"));
        } finally {
            OwnPostgresResource.server().process().resume();
        }
        await("recovered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> health("ready") == 200
                        && Gw.as(neverUsed).get("/api/v1/stub/echo").statusCode() == 200);
        Gw.as(admin).get("/api/v1/tenants/" + tenant).then().statusCode(200);
    }

    private static int health(String which) {
        return given().port(ManagementPort.get()).get("/q/health/" + which).statusCode();
    }
}
