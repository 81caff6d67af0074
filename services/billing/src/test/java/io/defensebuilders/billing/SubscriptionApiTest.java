package io.defensebuilders.billing;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Subscriptions: one active per tenant, plan changes as phases, tenancy and the roles that may change them. */
@QuarkusTest
class SubscriptionApiTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Test
    void aTenantAdminSubscribesAndChangesPlanKeepingTheHistory() {
        String tenant = TestClient.newTenant();
        Api admin = Api.admin(tenant);
        LocalDate start = TODAY.minusDays(10);
        var created = admin.req().body(Map.of("plan", "pro", "startDate", start.toString(), "anchorDay", 5))
                .post("/api/v1/billing/subscriptions").then().statusCode(201)
                .body("tenant", equalTo(tenant)).body("plan", equalTo("pro")).body("anchorDay", equalTo(5))
                .body("phases.size()", equalTo(1)).extract();
        String id = created.path("id");
        assertEquals(true, created.header("Location").endsWith("/api/v1/billing/subscriptions/" + id));
        admin.req().body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions").then().statusCode(409)
                .body("type", endsWith("/conflict"));

        admin.req().body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then()
                .statusCode(200).body("plan", equalTo("team"))
                .body("phases.plan", equalTo(List.of("pro", "team")))
                .body("phases[0].startDate", equalTo(start.toString()))
                .body("phases[1].startDate", equalTo(TODAY.toString()));
        admin.req().body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then()
                .statusCode(409);
        // the history is never rewritten: no change before the current phase's start
        admin.req().body(Map.of("plan", "pro", "effectiveDate", TODAY.minusDays(1).toString()))
                .post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then().statusCode(400)
                .body("type", endsWith("/validation"));
        // one invoice has one currency
        String euro = TestClient.unique("euro");
        Api.platformAdmin().req().body(Map.of("key", euro, "name", "Euro", "currency", "EUR"))
                .post("/api/v1/billing/plans").then().statusCode(201);
        admin.req().body(Map.of("plan", euro)).post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then()
                .statusCode(409).body("type", endsWith("/conflict"));
        // a downgrade the same day is a third phase
        admin.req().body(Map.of("plan", "free")).post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then()
                .statusCode(200).body("phases.plan", equalTo(List.of("pro", "team", "free")));

        Api.viewer(tenant).req().get("/api/v1/billing/subscriptions/" + id).then().statusCode(200)
                .body("plan", equalTo("free")).body("currentPeriod.start", equalTo(
                        io.defensebuilders.billing.pricing.BillingPeriod.containing(TODAY, 5).start().toString()));
        assertEquals(1, Api.viewer(tenant).req().get("/api/v1/billing/subscriptions").then().statusCode(200)
                .extract().jsonPath().getList("id").size());
    }

    @Test
    void anotherTenantsSubscriptionIsNotFound() {
        String tenant = TestClient.newTenant();
        String id = Api.admin(tenant).req().body(Map.of("plan", "pro")).post("/api/v1/billing/subscriptions").then()
                .statusCode(201).extract().path("id");
        Api other = Api.admin(TestClient.newTenant());
        other.req().get("/api/v1/billing/subscriptions/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("type", endsWith("/not-found"));
        other.req().body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then()
                .statusCode(404);
        other.req().get("/api/v1/billing/subscriptions").then().statusCode(200).body("size()", equalTo(0));
        other.req().queryParam("tenant", tenant).get("/api/v1/billing/subscriptions").then().statusCode(403);
        other.req().get("/api/v1/billing/invoices/preview").then().statusCode(404);
        other.req().queryParam("tenant", tenant).get("/api/v1/billing/invoices/preview").then().statusCode(403);
        Api.platformAdmin().req().get("/api/v1/billing/subscriptions/" + id).then().statusCode(200)
                .body("tenant", equalTo(tenant));
        Api.platformAdmin().req().queryParam("tenant", tenant).get("/api/v1/billing/subscriptions").then()
                .statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void onlyAdminsSubscribeAndOnlyPlatformAdminsSetUpCustomPlansOrOtherTenants() {
        String tenant = TestClient.newTenant();
        Api.viewer(tenant).req().body(Map.of("plan", "pro")).post("/api/v1/billing/subscriptions").then()
                .statusCode(403).contentType("application/problem+json");
        Api.admin(tenant).req().body(Map.of("plan", "enterprise")).post("/api/v1/billing/subscriptions").then()
                .statusCode(403);
        Api.admin(tenant).req().body(Map.of("plan", "pro", "tenant", TestClient.newTenant()))
                .post("/api/v1/billing/subscriptions").then().statusCode(403);
        Api.platformAdmin().req().body(Map.of("plan", "enterprise", "tenant", tenant))
                .post("/api/v1/billing/subscriptions").then().statusCode(201).body("tenant", equalTo(tenant))
                .body("plan", equalTo("enterprise"));
    }

    @Test
    void badInputIsAProblemNeverAServerError() {
        Api admin = Api.admin(TestClient.newTenant());
        List<Object> bodies = List.of(Map.of("plan", "no-such-plan"), Map.of("plan", "pro", "anchorDay", 29),
                Map.of("plan", "pro", "anchorDay", 0), Map.of("plan", "pro", "startDate", "2026-13-01"),
                Map.of("plan", "pro", "startDate", "1999-12-31"), Map.of("plan", "pro", "startDate",
                        TODAY.plusYears(2).toString()),
                Map.of("startDate", TODAY.toString()), "{\"plan\": ");
        for (Object body : bodies) {
            String type = admin.req().body(body).post("/api/v1/billing/subscriptions").then().statusCode(400)
                    .contentType("application/problem+json").extract().path("type");
            assertEquals(true, type.endsWith("/validation") || type.endsWith("/bad-request"), body + " -> " + type);
        }
        admin.req().get("/api/v1/billing/subscriptions/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
        admin.req().body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions/" + java.util.UUID.randomUUID()
                + "/plan-changes").then().statusCode(404);
    }
}
