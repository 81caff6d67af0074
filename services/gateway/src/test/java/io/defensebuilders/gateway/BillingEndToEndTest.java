package io.defensebuilders.gateway;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Through the gateway to the real billing: a tenant's rate-limit plan is the row's until billing has a subscription
 * for it, then billing's (Entitlements.Check over gRPC, rate tier mapped to a plan).
 */
@QuarkusTest
class BillingEndToEndTest {

    @Test
    void aSubscriptionInBillingSetsTheTenantsRateLimitPlan() {
        String tenant = Gw.newTenant("tiny");
        String admin = Gw.key(tenant, "admin");
        Gw.as(admin).get("/api/v1/billing/plans").then().statusCode(200);
        Gw.as(admin).get("/api/v1/stub/echo").then().statusCode(200)
                .header("RateLimit-Policy", containsString("\"tiny-principal\""));

        // billing's team plan has the "high" rate tier: this gateway's team plan
        Gw.as(admin).body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions").then().statusCode(201)
                .body("tenant", equalTo(tenant));
        // the plan is looked up again once older than its TTL (1 s in tests), behind the calls, which keep the old one
        // until the new one is known (and may meanwhile be refused by the tiny plan: 429 carries the policy too)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> assertThat(
                Gw.as(admin).get("/api/v1/stub/echo").then().extract().header("RateLimit-Policy"),
                containsString("\"team-principal\"")));
        Gw.as(admin).get("/api/v1/stub/echo").then().statusCode(200)
                .header("RateLimit-Policy", containsString("\"team-principal\""));
    }
}
