package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Rotation publishes the next key first, switches after publish-ahead, and keeps the old one until it is unused. */
@QuarkusTest
class SigningKeyRotationTest {

    private static String kidOfForwardedToken(String key) {
        String auth = Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200).extract().path("headers.authorization");
        return (String) Jwt.header(auth.substring(7)).get("kid");
    }

    @Test
    void rotatesWithoutFailingCalls() {
        String tenant = Gw.newTenant("enterprise");
        String key = Gw.key(tenant, "publisher");
        Gw.as(key).body(Map.of("name", "rot-" + tenant, "displayName", "R")).post("/api/v1/publishers").then()
                .statusCode(201);
        String before = kidOfForwardedToken(key);

        String next = Gw.admin().post("/api/v1/gateway/signing-keys/rotate").then().statusCode(200).extract().path("kid");
        assertNotEquals(before, next);
        List<String> published = given().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
        assertTrue(published.containsAll(List.of(before, next)), published.toString());
        // published ahead: the old key still signs for a moment
        assertEquals(before, kidOfForwardedToken(key));

        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals(next, kidOfForwardedToken(key), "signed with the new key"));
        // the registry learns the new key on first sight and keeps serving
        Gw.as(key).get("/api/v1/publishers").then().statusCode(200);
        List<String> after = given().get("/.well-known/jwks.json").then().extract().path("keys.kid");
        assertTrue(after.contains(before), "the old key stays published until its tokens expire");

        Gw.as(Gw.key(tenant, "admin")).post("/api/v1/gateway/signing-keys/rotate").then().statusCode(403);

        // what DbpSigningKeyNotRotated compares: the newest key is seconds old, the period is the configured one
        String metrics = given().port(io.defensebuilders.testing.quarkus.ManagementPort.get()).get("/q/metrics").then()
                .statusCode(200).extract().asString();
        java.util.regex.Matcher age = java.util.regex.Pattern
                .compile("(?m)^dbp_gateway_signing_key_age_seconds(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertTrue(age.find(), "no signing key age in /q/metrics");
        double seconds = Double.parseDouble(age.group(1));
        assertTrue(seconds >= 0 && seconds < 60, "the newest key, just made, is " + seconds + " s old");
        assertTrue(metrics.matches("(?s).*\\ndbp_gateway_signing_key_rotation_period_seconds(\\{[^}]*})? [1-9].*"),
                "the rotation period is exported");
    }

    @Test
    void platformAdminsMintTokensThatServicesAccept() {
        String tenant = Gw.newTenant("enterprise");
        String token = Gw.admin().body(Map.of("tenant", tenant, "subject", "ops-check", "roles", List.of("viewer")))
                .post("/api/v1/gateway/tokens").then().statusCode(200).extract().path("token");
        assertEquals(tenant, Jwt.claims(token).get("tenant"));
        // straight to the registry, as an operator's grpcurl or a benchmark would
        String registry = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("dbp.gateway.routes.sdk-registry.url", String.class);
        given().header("Authorization", "Bearer " + token).get(registry + "/api/v1/publishers").then().statusCode(200);
        Gw.as(Gw.key(tenant, "admin")).body(Map.of("tenant", tenant, "subject", "x", "roles", List.of("viewer")))
                .post("/api/v1/gateway/tokens").then().statusCode(403);
    }
}
