package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.RateLimitRedisResource;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.quarkus.test.junit.QuarkusTest;

/** Token buckets per key and per tenant, in the real Redis, and the local fallback when Redis goes away. */
@QuarkusTest
class RateLimitTest {

    private static List<Integer> statuses(String key, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Gw.as(key).get("/api/v1/stub/echo").statusCode());
        }
        return out;
    }

    @Test
    void keyBucketRefusesBeyondItsBurstWithStandardHeaders() {
        String tenant = Gw.newTenant("tiny");
        String key = Gw.key(tenant, "viewer");
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200)
                .header("RateLimit-Policy", containsString("\"tiny-principal\";q=60;w=60"))
                .header("RateLimit", matchesPattern("\"tiny-(principal|tenant)\";r=\\d+;t=\\d+"));
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9]\\d*"))
                .header("RateLimit", containsString("r=0"))
                .body("type", containsString("too-many-requests"));
    }

    @Test
    void aPlatformAdminsPlanChangeAppliesFromTheNextCall() {
        String tenant = Gw.newTenant("tiny");
        String key = Gw.key(tenant, "viewer");
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200)
                .header("RateLimit-Policy", containsString("\"tiny-principal\""));
        Gw.admin().body(java.util.Map.of("plan", "pro")).patch("/api/v1/tenants/" + tenant).then().statusCode(200);
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200)
                .header("RateLimit-Policy", containsString("\"pro-principal\""));
    }

    @Test
    void aBusyCallersNextLeaseIsAskedForBeforeItsLeaseRunsOut() {
        // the team plan's callers lease 10 tokens at a time (a twentieth of a second of 200/s)
        String key = Gw.key(Gw.newTenant("team"), "viewer");
        long before = RateLimitRedisResource.scriptsRun();
        assertEquals(List.of(200, 200, 200, 200, 200), statuses(key, 5));
        // the first call took a lease; the fifth left it half spent, and the next one was asked for then
        await("a second lease asked for").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> RateLimitRedisResource.scriptsRun() - before >= 2);
        assertEquals(2, RateLimitRedisResource.scriptsRun() - before, "two leases, no more");
    }

    @Test
    void tenantBucketIsSharedByAllItsKeys() {
        String tenant = Gw.newTenant("tiny");
        String first = Gw.key(tenant, "viewer");
        String second = Gw.key(tenant, "viewer");
        assertEquals(List.of(200, 200, 200), statuses(first, 3));
        // the tenant's bucket holds 5: two more for the second key, then none
        assertEquals(List.of(200, 200, 429), statuses(second, 3));
        // another tenant is untouched
        assertEquals(List.of(200), statuses(Gw.key(Gw.newTenant("tiny"), "viewer"), 1));
    }

    @Test
    void bucketsRefillOverTime() throws InterruptedException {
        String key = Gw.key(Gw.newTenant("tiny"), "viewer");
        assertEquals(List.of(200, 200, 200, 429), statuses(key, 4));
        Thread.sleep(1100); // one token per second
        assertEquals(List.of(200, 429), statuses(key, 2));
    }

    @Test
    void fallsBackToLocalBucketsWithoutRedisAndRecovers() {
        String key = Gw.key(Gw.newTenant("tiny"), "viewer");
        RateLimitRedisResource.stopRedis();
        try {
            // still served and still limited, by this replica alone
            List<Integer> degraded = statuses(key, 4);
            assertEquals(List.of(200, 200, 200, 429), degraded);
            String metrics = given().port(ManagementPort.get()).get("/q/metrics").asString();
            assertTrue(metrics.matches("(?s).*dbp_redis_degraded\\{client=\"ratelimit\",?\\} 1\\.0.*"), "degraded gauge");
            assertTrue(metrics.matches("(?s).*dbp_redis_fallbacks_total\\{client=\"ratelimit\",?\\} [1-9].*"),
                    "fallback counter");
        } finally {
            RateLimitRedisResource.startRedis();
        }
        // no call needed: the client's probe finds Redis again within the retry interval
        await("recovered").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(RateLimitTest::recovered);
        long before = RateLimitRedisResource.scriptsRun();
        Gw.as(Gw.key(Gw.newTenant("tiny"), "viewer")).get("/api/v1/stub/echo").then().statusCode(200);
        assertTrue(RateLimitRedisResource.scriptsRun() > before, "rate limits in Redis again");
    }

    private static boolean recovered() {
        return given().port(ManagementPort.get()).get("/q/metrics").asString()
                .matches("(?s).*dbp_redis_degraded\\{client=\"ratelimit\",?\\} 0\\.0.*");
    }
}
