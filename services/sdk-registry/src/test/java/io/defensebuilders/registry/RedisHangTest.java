package io.defensebuilders.registry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnRedisResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Redis hung (SIGSTOP): resolution and listing answer promptly from the database, a version published meanwhile is
 * resolved at once and, once Redis answers again, not hidden by the index cached before it; readiness stays up.
 */
@QuarkusTest
@TestProfile(RedisHangTest.OwnRedis.class)
class RedisHangTest {

    /** Far above the bound (50 ms a Redis command, then the database), far below a hang. */
    private static final long PROMPT_MS = 1000;

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a call that waits for the frozen Redis fails the test in seconds rather than hanging it
            return Map.of("dbp.redis.timeout", "50ms", "dbp.redis.retry", "1s", "quarkus.http.test-timeout", "5s");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true; // the Redis frozen here is this test's own
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(KafkaResource.class),
                    new TestResourceEntry(InternalJwtResource.class), new TestResourceEntry(OwnRedisResource.class));
        }
    }

    private final Api alice = Api.publisher(TestClient.newTenant());

    @Inject
    RedisDataSource redis;

    @Test
    void resolutionAndListingAnswerFromTheDatabaseWhileRedisHangsAndWritesMeanwhileAreNotHiddenAfter()
            throws Exception {
        assertEquals("redis://127.0.0.1:" + OwnRedisResource.port(),
                ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class));
        String sdk = alice.createSdk(TestClient.unique("hang"), "public");
        alice.publish(sdk, "1.0.0");
        String cacheKey = "dbp:sdk-registry:index:" + sdk;
        // a first connection may exceed the 50 ms bound: Redis is left alone for a second. The publish evicts the
        // index again 500 ms after it: an index cached before that would be gone by the next line
        await("the index cached in Redis").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(600))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> resolve(sdk).equals("1.0.0") && redis.value(String.class).get(cacheKey) != null);
        assertTrue(redis.value(String.class).get(cacheKey).contains("\"1.0.0\""), "the index is cached in Redis");
        List<Long> millis = new ArrayList<>();
        OwnRedisResource.process().pause();
        try {
            for (int i = 0; i < 5; i++) {
                assertEquals("1.0.0", timed(millis, () -> resolve(sdk)));
            }
            assertEquals(200, timed(millis, () -> alice.req().get("/api/v1/sdks/" + sdk + "/versions")).statusCode());
            assertEquals(200, timed(millis, () -> alice.req().queryParam("q", sdk).get("/api/v1/sdks")).statusCode());
            timed(millis, () -> {
                alice.publish(sdk, "1.1.0"); // evicts the cached index: kept for when Redis answers
                return null;
            });
            assertEquals("1.1.0", timed(millis, () -> resolve(sdk)));
            System.out.printf("RedisHangTest (sdk-registry): %d calls with Redis paused, slowest %d ms, all %s%n",
                    millis.size(), millis.stream().mapToLong(Long::longValue).max().orElseThrow(), millis);
            assertTrue(millis.stream().allMatch(ms -> ms < PROMPT_MS), "every call within " + PROMPT_MS + " ms: " + millis);
            assertEquals(1.0, degraded(), "dbp_redis_degraded");

            long start = System.nanoTime();
            Response ready = given().port(ManagementPort.get()).get("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.asString());
            assertTrue((System.nanoTime() - start) / 1_000_000 < PROMPT_MS, "readiness answers at once");
        } finally {
            OwnRedisResource.process().resume();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals(0.0, degraded(), "Redis used again"));
        // the eviction made during the hang reached Redis before the registry read it again
        assertEquals(null, redis.value(String.class).get(cacheKey));
        assertEquals("1.1.0", resolve(sdk));
    }

    private String resolve(String sdk) {
        return alice.req().queryParam("range", "^1").get("/api/v1/sdks/" + sdk + "/resolve").then().statusCode(200)
                .extract().path("version");
    }

    private static <T> T timed(List<Long> millis, Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        millis.add((System.nanoTime() - start) / 1_000_000);
        return result;
    }

    private static double degraded() {
        String metrics = given().port(ManagementPort.get()).get("/q/metrics").asString();
        var m = Pattern.compile("(?m)^dbp_redis_degraded\\{client=\"default\",?\\} (\\S+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
