package io.defensebuilders.registry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.AtOnce;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnDatabaseProfile;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.defensebuilders.testing.quarkus.RedisResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A database that stops answering (SIGSTOP of every PostgreSQL process), for the writes that go through Hibernate
 * Reactive as much as for the SQL ones: SDK creation, metadata changes and publisher creation answer 503
 * problem+json with Retry-After within the pool's bounds (2 s for a connection, 5 s for a statement, the rollback
 * included), never later; readiness goes DOWN, and writes succeed again once the database answers.
 */
@QuarkusTest
@TestProfile(DatabaseHangTest.OwnDatabase.class)
class DatabaseHangTest {

    /** More calls at once than the pool has connections (20): some wait for a statement, the rest for a connection. */
    private static final int CALLS = 40;
    /** acquire-timeout 2 s / statement-timeout 5 s, plus scheduling on a busy machine. */
    private static final long BOUND_MILLIS = 7_500;

    /** The registry's own database, and the shared Redis its caches use. */
    public static class OwnDatabase extends OwnDatabaseProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(RedisResource.class));
            return resources;
        }
    }

    private record Answer(String call, int status, String contentType, String retryAfter, long millis) {
    }

    @Test
    void writesThroughHibernateReactiveAnswer503WithinTheBoundsWhileTheDatabaseHangs() throws Exception {
        Api publisher = Api.publisher(TestClient.newTenant());
        String pub = publisher.createPublisher();
        String existing = publisher.createSdk("hang-" + UUID.randomUUID().toString().substring(0, 8), "public");
        OwnPostgresResource.server().process().pause();
        List<Answer> answers;
        try {
            answers = callsAtOnce(publisher, pub, existing);
            await("readiness DOWN").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health("ready") == 503);
            assertEquals(200, health("live"), "liveness stays UP: a restart would not help");
        } finally {
            OwnPostgresResource.server().process().resume();
        }
        long slowest = answers.stream().mapToLong(Answer::millis).max().orElseThrow();
        System.out.printf("registry DatabaseHangTest: %d calls with PostgreSQL paused, slowest %d ms%n", answers.size(),
                slowest);
        for (Answer a : answers) {
            assertEquals(503, a.status(), "while the database hangs: " + a);
            assertEquals("application/problem+json", a.contentType(), a.toString());
            assertEquals("2", a.retryAfter(), a.toString());
            assertTrue(a.millis() <= BOUND_MILLIS, "answered within " + BOUND_MILLIS + " ms: " + a);
        }
        await("recovered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> health("ready") == 200);
        String after = publisher.createSdk("hang-after-" + UUID.randomUUID().toString().substring(0, 8), "public");
        publisher.req().body(Map.of("title", "Changed after the hang")).patch("/api/v1/sdks/" + after).then()
                .statusCode(200);
    }

    private static List<Answer> callsAtOnce(Api publisher, String pub, String existing) throws Exception {
        return AtOnce.calls(CALLS, Duration.ofMillis(2 * BOUND_MILLIS), i -> {
            long start = System.nanoTime();
            String call;
            Response r;
            switch (i % 3) {
                case 0 -> {
                    call = "create SDK";
                    r = publisher.req().body(Map.of("name", "hang-new-" + i + "-" + UUID.randomUUID().toString()
                            .substring(0, 6), "publisher", pub, "title", "t", "license", "MIT", "visibility", "public"))
                            .post("/api/v1/sdks");
                }
                case 1 -> {
                    call = "change SDK";
                    r = publisher.req().body(Map.of("title", "title " + i)).patch("/api/v1/sdks/" + existing);
                }
                default -> {
                    call = "create publisher";
                    r = publisher.req().body(Map.of("name", "hang-pub-" + i + "-" + UUID.randomUUID().toString()
                            .substring(0, 6), "displayName", "p")).post("/api/v1/publishers");
                }
            }
            return new Answer(call, r.statusCode(), r.contentType(), r.header("Retry-After"),
                    (System.nanoTime() - start) / 1_000_000);
        });
    }

    private static int health(String which) {
        return given().port(ManagementPort.get()).get("/q/health/" + which).statusCode();
    }
}
