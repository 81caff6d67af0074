package io.defensebuilders.analytics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.AtOnce;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnDatabaseProfile;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Analytics queries run over JDBC, which waits on a socket for as long as the database takes: a database that stops
 * answering (SIGSTOP) or dies (SIGKILL) must still be a 503 problem+json with Retry-After within seconds, for the
 * queries already running when it happened as for those that come after, and queries answer again by themselves.
 */
@QuarkusTest
@TestProfile(OwnDatabaseProfile.class)
class DatabaseHangTest {

    /** More queries at once than the JDBC pool has connections (8). */
    private static final int CALLS = 24;
    /** A query on a hung database: its 5 s timeout plus a second for the socket, plus scheduling on a busy machine. */
    private static final long BOUND_MILLIS = 8_000;
    /** Below the pool's 2 s acquisition timeout: a call that waited on the hung database takes 2 s or more. */
    private static final long KNOWN_AWAY_MILLIS = 1_800;
    private static final String QUERY = "{\"metrics\":[\"events\"],\"date_range\":\"30d\",\"dimensions\":[\"event:type\"]}";

    private record Answer(int status, String contentType, String retryAfter, long millis) {
    }

    @Test
    void queriesOnAHungDatabaseAnswer503WithinSeconds_thenAnswerAgain() throws Exception {
        Api viewer = Api.viewer(TestClient.newTenant());
        viewer.post(QUERY).then().statusCode(200);
        OwnPostgresResource.server().process().pause();
        try {
            // at once, before the readiness probe notices: these wait on the database itself
            for (Answer a : queriesAtOnce(viewer)) {
                assertUnavailable(a);
            }
            await("readiness DOWN").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health("ready") == 503);
            assertEquals(200, health("live"), "liveness stays UP");
            // now the probe knows: no query waits on the database any more (2 s for a connection, 5 s for a
            // statement); the bound is below both, not a latency goal: 24 calls at once took up to 1.2 s at load 16
            for (Answer a : queriesAtOnce(viewer)) {
                assertUnavailable(a);
                assertTrue(a.millis() < KNOWN_AWAY_MILLIS,
                        "answered without waiting on the database known to be away: " + a);
            }
        } finally {
            OwnPostgresResource.server().process().resume();
        }
        assertRecovers(viewer);
    }

    @Test
    void queriesOnADeadDatabaseAnswer503_andARestartedOneIsUsedAgain() throws Exception {
        Api viewer = Api.viewer(TestClient.newTenant());
        viewer.post(QUERY).then().statusCode(200);
        OwnPostgresResource.server().process().kill();
        try {
            for (Answer a : queriesAtOnce(viewer)) {
                assertUnavailable(a);
            }
        } finally {
            OwnPostgresResource.restart();
        }
        assertRecovers(viewer);
    }

    private static void assertUnavailable(Answer a) {
        assertEquals(503, a.status(), "while the database cannot answer: " + a);
        assertEquals("application/problem+json", a.contentType(), a.toString());
        assertEquals("2", a.retryAfter(), a.toString());
        assertTrue(a.millis() <= BOUND_MILLIS, "answered within " + BOUND_MILLIS + " ms: " + a);
    }

    private static void assertRecovers(Api viewer) throws Exception {
        await("recovered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> health("ready") == 200
                        && viewer.post(QUERY).statusCode() == 200);
        for (Answer a : queriesAtOnce(viewer)) {
            assertEquals(200, a.status(), "after the database returned: " + a);
        }
    }

    private static List<Answer> queriesAtOnce(Api viewer) throws Exception {
        return AtOnce.calls(CALLS, Duration.ofMillis(2 * BOUND_MILLIS), () -> {
            long start = System.nanoTime();
            Response r = viewer.post(QUERY);
            return new Answer(r.statusCode(), r.contentType(), r.header("Retry-After"),
                    (System.nanoTime() - start) / 1_000_000);
        });
    }

    private static int health(String which) {
        return given().port(ManagementPort.get()).get("/q/health/" + which).statusCode();
    }
}
