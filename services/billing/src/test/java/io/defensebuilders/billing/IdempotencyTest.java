package io.defensebuilders.billing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.AtOnce;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** Billing writes with an Idempotency-Key: a retry gets the first answer and acts no more. */
@QuarkusTest
class IdempotencyTest {

    @Test
    void aRetriedSubscribeGetsTheFirstAnswerAndSubscribesOnce() {
        String tenant = TestClient.newTenant();
        Api admin = Api.admin(tenant);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("plan", "pro");
        ExtractableResponse<Response> first = admin.req().header("Idempotency-Key", key).body(body)
                .post("/api/v1/billing/subscriptions").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract();
        ExtractableResponse<Response> retry = admin.req().header("Idempotency-Key", key).body(body)
                .post("/api/v1/billing/subscriptions").then().statusCode(201).header("Idempotent-Replayed", "true")
                .contentType("application/json").extract();
        assertEquals(first.path("id"), retry.<String> path("id"));
        assertEquals(first.header("Location"), retry.header("Location"));
        assertEquals(first.asString(), retry.asString());
        assertEquals(1, Api.viewer(tenant).req().get("/api/v1/billing/subscriptions").then().statusCode(200)
                .extract().<List<?>> path("$").size());

        // the same key for another request is refused, not answered with the first request's answer
        admin.req().header("Idempotency-Key", key).body(Map.of("plan", "team")).post("/api/v1/billing/subscriptions")
                .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("another"));
        // without a key, the conflict the service itself finds
        admin.req().body(body).post("/api/v1/billing/subscriptions").then().statusCode(409);

        // a plan change retried: one new phase, not two
        String id = first.path("id");
        String change = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            admin.req().header("Idempotency-Key", change).body(Map.of("plan", "team"))
                    .post("/api/v1/billing/subscriptions/" + id + "/plan-changes").then().statusCode(200)
                    .body("phases.plan", equalTo(List.of("pro", "team")));
        }
    }

    @Test
    void keysBelongToTheirTenantAndRefusedAnswersAreKeptToo() {
        String key = UUID.randomUUID().toString();
        Api a = Api.admin(TestClient.newTenant());
        Api b = Api.admin(TestClient.newTenant());
        String aId = a.req().header("Idempotency-Key", key).body(Map.of("plan", "pro"))
                .post("/api/v1/billing/subscriptions").then().statusCode(201).extract().path("id");
        // another tenant's use of the same key acts for that tenant and never sees the first answer
        String bId = b.req().header("Idempotency-Key", key).body(Map.of("plan", "pro"))
                .post("/api/v1/billing/subscriptions").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().path("id");
        assertTrue(!aId.equals(bId));

        // a 4xx is the answer to that request: the retry gets it again
        String bad = UUID.randomUUID().toString();
        Api c = Api.admin(TestClient.newTenant());
        for (int i = 0; i < 2; i++) {
            c.req().header("Idempotency-Key", bad).body(Map.of("plan", "no-such-plan"))
                    .post("/api/v1/billing/subscriptions").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        c.req().header("Idempotency-Key", bad).body(Map.of("plan", "no-such-plan")).post("/api/v1/billing/subscriptions")
                .then().header("Idempotent-Replayed", "true");
    }

    @Test
    void aKeyThatIsNoKeyIsA400() {
        Api admin = Api.admin(TestClient.newTenant());
        for (String key : List.of("", "has space", "x".repeat(256), "é")) {
            admin.req().header("Idempotency-Key", key).body(Map.of("plan", "pro")).post("/api/v1/billing/subscriptions")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        // a keyed body is read whole to fingerprint it: one over the service's limit is refused, not buffered
        admin.req().header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"plan\":\"" + "x".repeat(11 << 20)
                + "\"}").post("/api/v1/billing/subscriptions").then().statusCode(413)
                .contentType("application/problem+json");
        Api.viewer(admin.tenant()).req().get("/api/v1/billing/subscriptions").then().statusCode(200).body("size()",
                equalTo(0));
    }

    @Test
    void concurrentRetriesActOnce() throws Exception {
        String tenant = TestClient.newTenant();
        Api admin = Api.admin(tenant);
        String key = UUID.randomUUID().toString();
        List<Integer> statuses = AtOnce.calls(8, java.time.Duration.ofSeconds(30), () -> admin.req()
                .header("Idempotency-Key", key).body(Map.of("plan", "pro")).post("/api/v1/billing/subscriptions").then()
                .extract().statusCode());
        // each is the first answer (201) or told the first is still running (409, Retry-After)
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        assertTrue(statuses.contains(201), statuses.toString());
        assertEquals(1, Api.viewer(tenant).req().get("/api/v1/billing/subscriptions").then().statusCode(200)
                .extract().<List<?>> path("$").size());
    }

    @Test
    void theOpenApiDocumentOffersTheHeaderOnWrites() {
        io.restassured.RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/billing/subscriptions'.post.parameters.name",
                        org.hamcrest.Matchers.hasItem("Idempotency-Key"))
                .body("paths.'/api/v1/billing/subscriptions'.post.responses.'422'.content.'application/problem+json'",
                        org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/billing/subscriptions'.get.parameters.name",
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("Idempotency-Key")))
                .body("components.schemas.Problem.type", endsWith("object"));
    }
}
