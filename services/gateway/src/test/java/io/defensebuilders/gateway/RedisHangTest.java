package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.IdpResource;
import io.defensebuilders.gateway.support.RateLimitRedisResource;
import io.defensebuilders.gateway.support.ServiceProcessesResource;
import io.defensebuilders.gateway.support.StubUpstreamResource;
import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnRedisResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Redis hung (SIGSTOP), not refused: both of the gateway's Redis clients point at one Redis of this test's own, which
 * is frozen. Calls must answer within the configured bounds (50 ms a command), from this replica's memory and the
 * database, still rate-limited (local buckets); the gateway says so on its metrics, stays ready, and goes back to Redis
 * by itself once it answers.
 */
@QuarkusTest
@TestProfile(RedisHangTest.OwnRedis.class)
class RedisHangTest {

    /** Far above the bounds (50 ms a Redis command, then the database), far below a hang (40 s in the incident). */
    private static final long PROMPT_MS = 1000;
    /** How long a revocation waits for Redis to answer again before it answers 503. */
    private static final Duration WRITE_WAIT = Duration.ofSeconds(2);

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a call that waits for the frozen Redis fails the test in seconds (REST Assured's timeout) rather than
            // hanging it
            return Map.of("dbp.redis.timeout", "50ms", "dbp.redis.retry", "1s",
                    "dbp.gateway.rate-limit.redis-timeout", "50ms", "dbp.gateway.rate-limit.redis-retry", "1s",
                    "dbp.redis.write-wait", WRITE_WAIT.toMillis() + "ms", "quarkus.http.test-timeout", "5s");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true; // the shared Redis of the other tests must not be the one frozen here
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(KafkaResource.class),
                    new TestResourceEntry(OwnRedisResource.class, Map.of("clients", "default,ratelimit")),
                    new TestResourceEntry(IdpResource.class), new TestResourceEntry(StubUpstreamResource.class),
                    new TestResourceEntry(ServiceProcessesResource.class));
        }
    }

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void redisIsOurOwnAndAnswers() {
        String own = "redis://127.0.0.1:" + OwnRedisResource.port();
        assertEquals(own, ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class));
        assertEquals(own, ConfigProvider.getConfig().getValue("quarkus.redis.ratelimit.hosts", String.class));
        awaitDegraded("default", false);
        awaitDegraded("ratelimit", false);
    }

    @Test
    void callsAnswerPromptlyAndAreStillLimitedWhileRedisHangsThenRedisIsUsedAgain() throws Exception {
        String verified = Gw.key(Gw.newTenant("enterprise"), "viewer");
        Gw.as(verified).get("/api/v1/stub/echo").then().statusCode(200);
        String unseen = Gw.key(Gw.newTenant("enterprise"), "viewer");
        String tiny = Gw.key(Gw.newTenant("tiny"), "viewer");
        String idpTenant = Gw.newTenant("enterprise");
        String idpToken = IdpResource.token("hang-" + idpTenant, idpTenant, "platform-viewers").sign();
        List<Long> millis = new ArrayList<>();
        OwnRedisResource.process().pause();
        try {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, timed(millis, () -> Gw.as(verified).get("/api/v1/stub/echo")).statusCode());
            }
            assertEquals(200, timed(millis, () -> Gw.as(unseen).get("/api/v1/stub/echo")).statusCode(),
                    "a key this replica has not seen yet is read from the database");
            // the tiny plan's burst of 3, kept by local buckets (one token a second comes back meanwhile)
            List<Integer> limited = new ArrayList<>();
            long first = System.nanoTime();
            while (!limited.contains(429) && limited.size() < 10) {
                limited.add(timed(millis, () -> Gw.as(tiny).get("/api/v1/stub/echo")).statusCode());
            }
            long refilled = (System.nanoTime() - first) / 1_000_000_000 + 1;
            assertTrue(limited.contains(429) && limited.indexOf(429) <= 3 + refilled, "refused after the burst: " + limited);
            assertTrue(limited.subList(0, limited.indexOf(429)).stream().allMatch(status -> status == 200), "" + limited);
            assertEquals(401, timed(millis, () -> Gw.as(unseen + "x").get("/api/v1/stub/echo")).statusCode(),
                    "a wrong key is refused, its failure counted locally");
            assertEquals(200, timed(millis, () -> given().header("Authorization", "Bearer " + idpToken)
                    .get("/api/v1/stub/echo")).statusCode(), "an IdP caller's memberships come from the database");
            long slowest = millis.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("RedisHangTest: %d calls with Redis paused, slowest %d ms, all %s%n", millis.size(),
                    slowest, millis);
            assertTrue(slowest < PROMPT_MS, "every call answers within " + PROMPT_MS + " ms: " + millis);

            String metrics = metrics();
            assertTrue(gauge(metrics, "default") == 1 && gauge(metrics, "ratelimit") == 1, "degraded gauges");
            assertTrue(Pattern.compile("(?m)^dbp_redis_fallbacks_total\\{client=\"ratelimit\",?\\} [1-9]").matcher(metrics)
                    .find(), "fallback counter");
        } finally {
            OwnRedisResource.process().resume();
        }
        // back to Redis by itself: the probe (every second) finds it, and the rate-limit scripts run there again
        awaitDegraded("default", false);
        awaitDegraded("ratelimit", false);
        long scripts = RateLimitRedisResource.scriptsRun(OwnRedisResource.port());
        Gw.as(Gw.key(Gw.newTenant("tiny"), "viewer")).get("/api/v1/stub/echo").then().statusCode(200);
        assertTrue(RateLimitRedisResource.scriptsRun(OwnRedisResource.port()) > scripts, "rate limits in Redis again");
    }

    @Test
    void aKeyRevokedWhileRedisHangsIsRefusedByTheReplicaThatRevokedItAndStaysRevokedAfter() throws Exception {
        Issued issued = cachedKey();
        List<Long> millis = new ArrayList<>();
        OwnRedisResource.process().pause();
        try {
            long start = System.nanoTime();
            Response revoked = Gw.admin().delete("/api/v1/api-keys/" + issued.id());
            long waited = (System.nanoTime() - start) / 1_000_000;
            // revoked in the database; the other replicas learn of it only when Redis answers, and the answer says so
            assertEquals(503, revoked.statusCode(), revoked.asString());
            assertTrue(revoked.asString().contains("revoked in the database"), revoked.asString());
            assertTrue(waited >= WRITE_WAIT.toMillis() - 100 && waited < WRITE_WAIT.toMillis() + PROMPT_MS,
                    "the revocation waited for Redis " + WRITE_WAIT.toMillis() + " ms, then answered: " + waited + " ms");
            for (int i = 0; i < 5; i++) {
                assertEquals(401, timed(millis, () -> Gw.as(issued.key()).get("/api/v1/stub/echo")).statusCode());
                Thread.sleep(300); // past this replica's one-second memory of the key, too
            }
            assertTrue(millis.stream().allMatch(ms -> ms < PROMPT_MS), "prompt answers: " + millis);
        } finally {
            OwnRedisResource.process().resume();
        }
        awaitDegraded("default", false);
        // the tombstone was written before the gateway read Redis again: the cached key cannot come back
        assertEquals("revoked", redis.value(String.class).get(issued.cacheKey()));
        Thread.sleep(1100); // past this replica's one-second memory of the key: the refusal below is the tombstone's
        Gw.as(issued.key()).get("/api/v1/stub/echo").then().statusCode(401);
    }

    @Test
    void aRevocationDuringAShortStallIsConfirmedOnceRedisAnswersAgain() throws Exception {
        Issued issued = cachedKey();
        OwnRedisResource.process().pause();
        CompletableFuture<Response> revoking;
        try {
            revoking = CompletableFuture.supplyAsync(() -> Gw.admin().delete("/api/v1/api-keys/" + issued.id()));
            awaitDegraded("default", true); // the tombstone was not answered within 50 ms
            assertFalse(revoking.isDone(), "the revocation waits for Redis");
        } finally {
            OwnRedisResource.process().resume();
        }
        Response revoked = revoking.get(WRITE_WAIT.toMillis() + 5000, TimeUnit.MILLISECONDS);
        assertEquals(204, revoked.statusCode(), "the stall was shorter than the wait: " + revoked.asString());
        // the answer came after the tombstone and the message were sent
        assertEquals("revoked", redis.value(String.class).get(issued.cacheKey()));
        assertEquals(0, gauge(metrics(), "default"), "Redis used again");
        Gw.as(issued.key()).get("/api/v1/stub/echo").then().statusCode(401);
    }

    private record Issued(String id, String key, String cacheKey) {
    }

    /** A new key, used until this replica has put it in the shared cache. */
    private Issued cachedKey() {
        String tenant = Gw.newTenant("enterprise");
        Response created = Gw.admin().body(Map.of("name", "to revoke", "roles", List.of("viewer"), "tenant", tenant))
                .post("/api/v1/api-keys");
        String id = created.path("id");
        String key = created.path("secret");
        String cacheKey = "dbp:gateway:apikey:" + id;
        // a first connection may exceed the 50 ms bound, and Redis is left alone for a second: until it is cached
        await("the key in the shared cache").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1100)).until(() -> {
                    Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
                    return redis.value(String.class).get(cacheKey) != null;
                });
        assertTrue(redis.value(String.class).get(cacheKey).startsWith(id + "\t"), "the key is in the shared cache");
        return new Issued(id, key, cacheKey);
    }

    @Test
    void readinessStaysUpWhileRedisHangs() throws Exception {
        OwnRedisResource.process().pause();
        try {
            Gw.as(Gw.bootstrapKey()).get("/api/v1/tenants").then().statusCode(200); // something that uses Redis
            long start = System.nanoTime();
            Response ready = given().port(ManagementPort.get()).get("/q/health/ready");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, ready.statusCode(), ready.asString());
            assertTrue(ms < PROMPT_MS, "readiness answered in " + ms + " ms");
            assertTrue(!ready.asString().toLowerCase().contains("redis"), "no Redis check: " + ready.asString());
        } finally {
            OwnRedisResource.process().resume();
        }
    }

    private static Response timed(List<Long> millis, java.util.function.Supplier<Response> call) {
        long start = System.nanoTime();
        Response response = call.get();
        millis.add((System.nanoTime() - start) / 1_000_000);
        return response;
    }

    private static String metrics() {
        return given().port(ManagementPort.get()).get("/q/metrics").asString();
    }

    /** The value of {@code dbp_redis_degraded{client=...}}, or -1 when it is not there. */
    private static double gauge(String metrics, String client) {
        var m = Pattern.compile("(?m)^dbp_redis_degraded\\{client=\"" + client + "\",?\\} (\\S+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static void awaitDegraded(String client, boolean degraded) {
        double want = degraded ? 1 : 0;
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals(want, gauge(metrics(), client),
                        "dbp_redis_degraded{client=\"" + client + "\"}"));
    }
}
