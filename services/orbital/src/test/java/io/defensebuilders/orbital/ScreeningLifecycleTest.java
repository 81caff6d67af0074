package io.defensebuilders.orbital;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.orbital.repository.ScreeningRepository;
import io.defensebuilders.orbital.service.ScreeningService;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Screenings as durable jobs: listed per tenant, cancelled, and taken over when the replica holding one stops renewing
 * its lease (a crash, simulated by a row whose holder is gone).
 */
@QuarkusTest
class ScreeningLifecycleTest {

    @Inject
    ScreeningService service;
    @Inject
    ScreeningRepository repo;
    @Inject
    Pool pool;

    private final String tenant = TestClient.newTenant();
    private final Api alice = new Api(tenant, "alice", "builder");

    /** A screening row as another replica left it: holder gone, lease renewed {@code ageS} seconds ago. */
    private UUID orphan(String status, long ageS) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repo.insert(pool, new ScreeningRepository.Screening(id, tenant, "alice", "request", status, 40, null,
                Instant.parse("2026-11-01T00:00:00Z"), 0.05, 5, null, null, null, null, now, now, null),
                "orbital-dead-replica").await().indefinitely();
        pool.preparedQuery("UPDATE screening SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1")
                .execute(Tuple.of(id, (double) ageS)).await().indefinitely();
        return id;
    }

    private JsonPath get(UUID id) {
        return alice.req().get("/api/v1/orbital/screenings/" + id).then().statusCode(200).extract().jsonPath();
    }

    private JsonPath awaitStatus(UUID id, String status) {
        return Screenings.awaitStatus(alice, "/api/v1/orbital/screenings/" + id, status, Duration.ofSeconds(60));
    }

    @Test
    void aScreeningWhoseReplicaDiedIsTakenOverAndFinished() throws Exception {
        UUID running = orphan("running", 600);
        UUID fresh = orphan("running", 5); // its replica is alive: renewed 5 s ago
        List<ScreeningRepository.Screening> taken = service.recover().await().indefinitely();
        assertTrue(taken.stream().anyMatch(s -> s.id().equals(running)), "the lapsed lease is claimed");
        assertTrue(taken.stream().noneMatch(s -> s.id().equals(fresh)), "a live lease is left alone");
        JsonPath done = awaitStatus(running, "done");
        assertNotNull(done.get("conjunctionCount"));
        assertEquals(100, done.getInt("progress"));
        assertEquals("running", get(fresh).getString("status"));
        int attempts = pool.preparedQuery("SELECT attempts FROM screening WHERE id = $1").execute(Tuple.of(running))
                .await().indefinitely().iterator().next().getInteger("attempts");
        assertEquals(2, attempts);
    }

    @Test
    void aScreeningInterruptedTooOftenFails() {
        UUID id = orphan("running", 600);
        pool.preparedQuery("UPDATE screening SET attempts = 3 WHERE id = $1").execute(Tuple.of(id)).await()
                .indefinitely();
        service.recover().await().indefinitely();
        JsonPath s = get(id);
        assertEquals("failed", s.getString("status"));
        assertTrue(s.getString("error").contains("interrupted 3 times"), s.getString("error"));
    }

    @Test
    void aFailedScreeningStoresAStableReasonNotTheExceptionText() throws Exception {
        int norad = Api.newNorad();
        String good = Api.publisher(tenant).upload("text/plain", Api.Tles.threeLe("BROKEN", norad, "26305.00000000"))
                .then().statusCode(200).extract().jsonPath().getString("elementSets[0].id");
        // an element set SGP4 cannot even read, written past the API's checks into this tenant's overlay only
        UUID bad = pool.preparedQuery("""
                INSERT INTO element_set (id, norad_id, epoch, name, intl_designator, classification, mean_motion,
                    eccentricity, inclination, ra_of_asc_node, arg_of_pericenter, mean_anomaly, bstar, mean_motion_dot,
                    mean_motion_ddot, ephemeris_type, element_set_no, rev_at_epoch, line1, line2, format, tenant,
                    ingested_by, ingested_at, overlay_tenant)
                SELECT gen_random_uuid(), norad_id, epoch + interval '1 day', name, intl_designator, classification,
                    mean_motion, eccentricity, inclination, ra_of_asc_node, arg_of_pericenter, mean_anomaly, bstar,
                    mean_motion_dot, mean_motion_ddot, ephemeris_type, element_set_no, rev_at_epoch,
                    'not a TLE line', line2, format, tenant, ingested_by, ingested_at, overlay_tenant
                FROM element_set WHERE id = $1 RETURNING id""").execute(Tuple.of(UUID.fromString(good)))
                .await().indefinitely().iterator().next().getUUID("id");
        pool.preparedQuery("UPDATE overlay_object SET current_element_set = $1, current_epoch = current_epoch"
                + " + interval '1 day' WHERE tenant = $2 AND norad_id = $3").execute(Tuple.of(bad, tenant, norad))
                .await().indefinitely();
        String id = alice.req().body(Map.of("primaries", List.of(norad), "windowStart", "2026-11-01T00:00:00Z",
                "windowDays", 0.05)).post("/api/v1/orbital/screenings").then().statusCode(202).extract().jsonPath()
                .getString("id");
        JsonPath failed = awaitStatus(UUID.fromString(id), "failed");
        assertEquals("the screening failed unexpectedly; the service log holds the cause under its id",
                failed.getString("error"));
    }

    @Test
    void queuedScreeningsAreCancelledAtOnceAndFinishedOnesAreAConflict() throws Exception {
        UUID queued = orphan("queued", 5); // held by a live replica that has not started it
        JsonPath cancelled = alice.req().post("/api/v1/orbital/screenings/" + queued + "/cancel").then().statusCode(202)
                .extract().jsonPath();
        assertEquals("cancelled", cancelled.getString("status"));
        assertNotNull(cancelled.get("finishedAt"));
        alice.req().post("/api/v1/orbital/screenings/" + queued + "/cancel").then().statusCode(409)
                .contentType("application/problem+json");
        new Api(TestClient.newTenant(), "mallory", "builder").req().post("/api/v1/orbital/screenings/" + queued + "/cancel")
                .then().statusCode(404).contentType("application/problem+json");
        Api.viewer(tenant).req().post("/api/v1/orbital/screenings/" + queued + "/cancel").then().statusCode(403);
        // the lapsed lease of a cancelled screening is nobody's to take over
        pool.preparedQuery("UPDATE screening SET heartbeat_at = now() - interval '1 hour' WHERE id = $1")
                .execute(Tuple.of(queued)).await().indefinitely();
        assertTrue(service.recover().await().indefinitely().stream().noneMatch(s -> s.id().equals(queued)));
        assertEquals("cancelled", get(queued).getString("status"));
    }

    @Test
    void aRunningScreeningStopsWhenCancelledAndStoresNothing() throws Exception {
        // enough catalog for a 14-day whole-catalog screening to take a while
        StringBuilder text = new StringBuilder();
        for (var e : io.defensebuilders.orbital.screening.SyntheticCatalog.generate(600, 5,
                new org.orekit.time.AbsoluteDate(2026, 11, 1, io.defensebuilders.orbital.propagation.OrekitData.bundled()
                        .utc()),
                io.defensebuilders.orbital.propagation.OrekitData.bundled().utc(), 150_000)) {
            text.append(e.line1()).append('\n').append(e.line2()).append('\n');
        }
        new Api(TestClient.newTenant(), "ops", "platform-admin").upload("text/plain", text.toString()).then().statusCode(200);
        String id = alice.req().body(Map.of("windowStart", "2026-11-01T00:00:00Z", "windowDays", 14, "thresholdKm", 50))
                .post("/api/v1/orbital/screenings").then().statusCode(202).extract().jsonPath().getString("id");
        awaitStatus(UUID.fromString(id), "running");
        alice.req().post("/api/v1/orbital/screenings/" + id + "/cancel").then().statusCode(202);
        JsonPath s = awaitStatus(UUID.fromString(id), "cancelled");
        org.junit.jupiter.api.Assertions.assertNull(s.get("conjunctionCount"));
        alice.req().get("/api/v1/orbital/screenings/" + id + "/conjunctions").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aTenantListsItsOwnScreeningsNewestFirst() {
        UUID first = orphan("queued", 5);
        UUID second = orphan("queued", 5);
        alice.req().post("/api/v1/orbital/screenings/" + first + "/cancel").then().statusCode(202);
        JsonPath page = alice.req().get("/api/v1/orbital/screenings?limit=1").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(second.toString()), page.getList("items.id"));
        String next = page.getString("nextCursor");
        JsonPath rest = alice.req().get("/api/v1/orbital/screenings?limit=1&cursor=" + next).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(first.toString()), rest.getList("items.id"));
        List<Map<String, Object>> cancelledOnly = alice.req().get("/api/v1/orbital/screenings?status=cancelled")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertEquals(1, cancelledOnly.size());
        assertEquals(List.of(), Api.viewer(TestClient.newTenant()).req().get("/api/v1/orbital/screenings").then()
                .statusCode(200).extract().jsonPath().getList("items"), "another tenant sees none");
        alice.req().get("/api/v1/orbital/screenings?status=lost").then().statusCode(400)
                .contentType("application/problem+json");
        alice.req().get("/api/v1/orbital/screenings?cursor=bogus").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /** A screening of this tenant in {@code status} that finished {@code daysAgo} days ago (null: not finished). */
    private UUID finished(String status, Integer daysAgo) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant end = daysAgo == null ? null : now.minus(Duration.ofDays(daysAgo));
        Instant begin = end == null ? now.minus(Duration.ofDays(40)) : end.minusSeconds(60);
        repo.insert(pool, new ScreeningRepository.Screening(id, tenant, "alice", "request", status, 100, null,
                Instant.parse("2026-11-01T00:00:00Z"), 0.05, 5, null, null, null, null, begin, begin, end),
                "orbital-dead-replica").await().indefinitely();
        return id;
    }

    @Test
    void finishedScreeningsAreDeletedAfterTheRetentionPeriod() {
        UUID old = finished("done", 31);
        UUID oldFailed = finished("failed", 45);
        UUID recent = finished("done", 29);
        UUID stillRunning = finished("running", null); // created 40 days ago, not finished: kept
        pool.preparedQuery("UPDATE screening SET heartbeat_at = now() WHERE id = $1").execute(Tuple.of(stillRunning))
                .await().indefinitely();

        assertTrue(service.purge(Instant.now()).await().indefinitely() >= 2);
        alice.req().get("/api/v1/orbital/screenings/" + old).then().statusCode(404);
        alice.req().get("/api/v1/orbital/screenings/" + oldFailed).then().statusCode(404);
        get(recent);
        get(stillRunning);
    }

    /**
     * The queue as operators see it (DbpScreeningQueueStalled): a screening queued an hour ago shows in the gauges,
     * which the service reads from the table every dbp.metrics.poll-interval (1 s in tests).
     */
    @Test
    void theOldestQueuedScreeningsAgeIsAGauge() {
        UUID queued = orphan("queued", 5);
        pool.preparedQuery("UPDATE screening SET created_at = now() - interval '1 hour' WHERE id = $1")
                .execute(Tuple.of(queued)).await().indefinitely();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String metrics = given().port(ManagementPort.get()).get("/q/metrics").then().statusCode(200).extract()
                        .asString();
                java.util.regex.Matcher age = java.util.regex.Pattern
                        .compile("(?m)^dbp_orbital_screenings_queued_oldest_age_seconds(?:\\{[^}]*})? (\\S+)$")
                        .matcher(metrics);
                assertTrue(age.find(), "no oldest-queued gauge in /q/metrics");
                assertTrue(Double.parseDouble(age.group(1)) >= 3600, "oldest queued screening's age " + age.group(1));
                java.util.regex.Matcher count = java.util.regex.Pattern
                        .compile("(?m)^dbp_orbital_screenings_queued(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
                assertTrue(count.find() && Double.parseDouble(count.group(1)) >= 1, "queued screenings");
            });
        } finally {
            pool.preparedQuery("UPDATE screening SET status = 'cancelled' WHERE id = $1").execute(Tuple.of(queued))
                    .await().indefinitely();
        }
    }
}
