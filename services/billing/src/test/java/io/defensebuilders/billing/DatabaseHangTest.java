package io.defensebuilders.billing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.AtOnce;
import io.defensebuilders.testing.infra.PostgresServer;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnDatabaseProfile;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A database that stops answering (SIGSTOP of every PostgreSQL process: a hung server, or a partition) and one that
 * dies (SIGKILL): calls that need it answer 503 problem+json with Retry-After within seconds instead of waiting with
 * it, readiness goes DOWN while liveness stays UP, and everything works again by itself when it is back.
 */
@QuarkusTest
@TestProfile(OwnDatabaseProfile.class)
class DatabaseHangTest {

    /** More calls at once than the pool has connections (20): some wait for a statement, the rest for a connection. */
    private static final int CALLS = 40;
    /** acquire-timeout 2 s / statement-timeout 5 s, plus scheduling on a busy machine. */
    private static final long BOUND_MILLIS = 7_500;

    private record Answer(int status, String contentType, String retryAfter, long millis) {
    }

    @Test
    void aHungDatabaseIsA503WithinSecondsNotReadyButLive_andCallsSucceedOnceItAnswers() throws Exception {
        Api viewer = Api.viewer(TestClient.newTenant());
        viewer.req().get("/api/v1/billing/plans").then().statusCode(200);
        PostgresServer pg = OwnPostgresResource.server();
        pg.process().pause();
        try {
            List<Answer> answers = callsAtOnce(viewer);
            for (Answer a : answers) {
                assertEquals(503, a.status(), "while the database hangs: " + a);
                assertEquals("application/problem+json", a.contentType(), a.toString());
                assertEquals("2", a.retryAfter(), a.toString());
                assertTrue(a.millis() <= BOUND_MILLIS, "answered within " + BOUND_MILLIS + " ms: " + a);
            }
            await("readiness DOWN").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health("ready") == 503);
            assertEquals(200, health("live"), "liveness stays UP: a restart would not help");
            String ready = given().port(ManagementPort.get()).get("/q/health/ready").asString();
            assertTrue(ready.contains("\"database\"") && ready.contains("DOWN"), ready);
        } finally {
            pg.process().resume();
        }
        assertRecovers(viewer);
    }

    @Test
    void aDeadDatabaseIsA503AtOnce_andARestartedOneIsUsedAgain() throws Exception {
        Api viewer = Api.viewer(TestClient.newTenant());
        viewer.req().get("/api/v1/billing/plans").then().statusCode(200);
        OwnPostgresResource.server().process().kill();
        try {
            for (Answer a : callsAtOnce(viewer)) {
                assertEquals(503, a.status(), "while the database is down: " + a);
                assertEquals("2", a.retryAfter(), a.toString());
                assertTrue(a.millis() <= BOUND_MILLIS, a.toString());
            }
            await("readiness DOWN").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health("ready") == 503);
            assertEquals(200, health("live"));
        } finally {
            OwnPostgresResource.restart();
        }
        assertRecovers(viewer);
    }

    /** Back to normal within seconds, with nothing left stuck: ready, and as many calls at once all succeed. */
    private static void assertRecovers(Api viewer) throws Exception {
        await("recovered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> health("ready") == 200
                        && viewer.req().get("/api/v1/billing/plans").statusCode() == 200);
        for (Answer a : callsAtOnce(viewer)) {
            assertEquals(200, a.status(), "after the database returned: " + a);
        }
    }

    private static List<Answer> callsAtOnce(Api viewer) throws Exception {
        return AtOnce.calls(CALLS, Duration.ofMillis(2 * BOUND_MILLIS), () -> {
            long start = System.nanoTime();
            Response r = viewer.req().get("/api/v1/billing/plans");
            return new Answer(r.statusCode(), r.contentType(), r.header("Retry-After"),
                    (System.nanoTime() - start) / 1_000_000);
        });
    }

    private static int health(String which) {
        return given().port(ManagementPort.get()).get("/q/health/" + which).statusCode();
    }

}
