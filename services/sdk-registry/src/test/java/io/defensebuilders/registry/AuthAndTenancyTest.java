package io.defensebuilders.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Only a valid internal JWT gets in; roles and tenants decide what it may see and do. */
@QuarkusTest
class AuthAndTenancyTest {

    private final Api alice = Api.publisher(TestClient.newTenant());

    private void expect401(String token) {
        var req = given();
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        req.get("/api/v1/sdks").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer")).body("status", equalTo(401));
    }

    @Test
    void refusesMissingForgedExpiredAndForeignTokens() {
        var issuer = InternalJwtResource.issuer();
        expect401(null);
        expect401("not-a-jwt");
        expect401(issuer.token("t1", "u1", "viewer").unsigned());
        expect401(issuer.token("t1", "u1", "viewer").signedByUnknownKey().sign());
        expect401(issuer.token("t1", "u1", "viewer").expiresIn(Duration.ofMinutes(-10)).sign());
        expect401(issuer.token("t1", "u1", "viewer").issuer("https://evil.example").sign());
        expect401(issuer.token("t1", "u1", "viewer").audience("some-other-service").sign());
        String good = issuer.token("t1", "u1", "viewer").sign();
        String[] parts = good.split("\\.");
        String tamperedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"t1\"", "\"t2\"").getBytes());
        expect401(parts[0] + "." + tamperedPayload + "." + parts[2]);
    }

    @Test
    void acceptsRs256AndEs256Tokens() {
        var issuer = InternalJwtResource.issuer();
        given().header("Authorization", "Bearer " + issuer.token("t1", "u1", "viewer").sign()).get("/api/v1/sdks")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + issuer.token("t1", "u1", "viewer").es256().sign())
                .get("/api/v1/sdks").then().statusCode(200);
    }

    @Test
    void writesNeedThePublisherRole() {
        Api viewer = new Api(alice.tenant(), "v", "viewer");
        Api builder = new Api(alice.tenant(), "b", "builder");
        viewer.req().body(Map.of("name", TestClient.unique("p"), "displayName", "P")).post("/api/v1/publishers").then()
                .statusCode(403).contentType("application/problem+json");
        String sdk = alice.createSdk(TestClient.unique("roles"), "public");
        builder.req().body(Map.of("version", "1.0.0")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(403);
        new Api(alice.tenant(), "adm", "admin").req().body(Map.of("version", "1.0.0"))
                .post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(201);
        viewer.req().get("/api/v1/sdks/" + sdk).then().statusCode(200);
    }

    @Test
    void tokenWithoutTenantIsForbidden() {
        given().header("Authorization", "Bearer " + InternalJwtResource.issuer().token(null, "svc", "viewer").sign())
                .get("/api/v1/sdks").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anotherTenantsPrivateSdkDoesNotExist() {
        String sdk = alice.createSdk(TestClient.unique("hidden"), "private");
        alice.publish(sdk, "1.0.0");
        Api mallory = Api.publisher(TestClient.newTenant());
        mallory.req().get("/api/v1/sdks/" + sdk).then().statusCode(404);
        mallory.req().get("/api/v1/sdks/" + sdk + "/versions").then().statusCode(404);
        mallory.req().get("/api/v1/sdks/" + sdk + "/versions/1.0.0").then().statusCode(404);
        mallory.req().get("/api/v1/sdks/" + sdk + "/dist-tags").then().statusCode(404);
        mallory.req().get("/api/v1/sdks/" + sdk + "/catalog-info.yaml").then().statusCode(404);
        mallory.req().get("/api/v1/sdks/" + sdk + "/downloads").then().statusCode(404);
        mallory.req().body(Map.of("version", "2.0.0")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(404);
        mallory.req().body(Map.of("reason", "x")).post("/api/v1/sdks/" + sdk + "/versions/1.0.0/yank").then()
                .statusCode(404);
        mallory.req().body(Map.of("title", "pwned")).patch("/api/v1/sdks/" + sdk).then().statusCode(404);
        alice.req().get("/api/v1/sdks/" + sdk).then().statusCode(200).body("visibility", equalTo("private"));
    }

    @Test
    void anotherTenantCannotChangeAPublicSdk() {
        String sdk = alice.createSdk(TestClient.unique("public"), "public");
        Api mallory = Api.publisher(TestClient.newTenant());
        mallory.req().body(Map.of("version", "6.6.6")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(403);
        mallory.req().body(Map.of("title", "pwned")).patch("/api/v1/sdks/" + sdk).then().statusCode(403);
        mallory.req().get("/api/v1/sdks/" + sdk).then().statusCode(200).body("title", equalTo("Title of " + sdk));
    }

    @Test
    void malformedRequestsGet4xxNever5xx() {
        alice.req().contentType("text/plain").body("hello").post("/api/v1/sdks").then().statusCode(415)
                .contentType("application/problem+json");
        alice.req().delete("/api/v1/sdks").then().statusCode(405).contentType("application/problem+json");
        alice.req().body("[1,2,3]").post("/api/v1/sdks").then().statusCode(400);
        alice.req().body("{\"name\": 42, \"visibility\": []}").post("/api/v1/sdks").then().statusCode(400);
        alice.req().get("/api/v1/sdks/%E0%A4%A").then().statusCode(org.hamcrest.Matchers.lessThan(500));
        alice.req().header("X-Request-Id", "my-trace-123").get("/api/v1/sdks/" + TestClient.unique("none")).then()
                .statusCode(404).header("X-Request-Id", "my-trace-123").body("requestId", equalTo("my-trace-123"));
    }
}
