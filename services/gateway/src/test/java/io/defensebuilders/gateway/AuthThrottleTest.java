package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.http.RawHttp;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Wrong credentials are slowed down: per client address (refused before the credential is looked at) and per API key
 * id (refused to addresses that have not used the key), with 429 and Retry-After, shared through Redis, counted.
 * Other clients are other loopback addresses (127.0.0.2, ...), as the gateway sees them.
 */
@QuarkusTest
@TestProfile(AuthThrottleTest.LowLimits.class)
class AuthThrottleTest {

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dbp.gateway.auth-throttle.address-burst", "5", "dbp.gateway.auth-throttle.address-per-minute", "1",
                    "dbp.gateway.auth-throttle.key-burst", "3", "dbp.gateway.auth-throttle.key-per-minute", "1");
        }
    }

    @Test
    void guessingAtAKeyIsRefusedToOthersButNotToItsOwner() throws Exception {
        String key = Gw.key(Gw.newTenant("enterprise"), "viewer");
        String wrong = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
        // the owner, from 127.0.0.1, has used the key
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            assertEquals(401, get("127.0.0.2", wrong).status());
        }
        RawHttp.Answer refused = get("127.0.0.2", wrong);
        assertEquals(429, refused.status(), refused.text());
        assertTrue(refused.header("retry-after") != null
                && refused.header("content-type").startsWith("application/problem+json"), refused.text());
        // even the right secret, from an address that has not used the key while it is blocked
        assertEquals(429, get("127.0.0.3", key).status());
        // its owner is not locked out
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        Gw.as(key).get("/api/v1/api-keys").then().statusCode(403); // a viewer: authenticated, not allowed
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedBeforeItsCredentialIsRead() throws Exception {
        String key = Gw.key(Gw.newTenant("enterprise"), "viewer");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, get("127.0.0.4", "not-a-token-" + i).status());
        }
        RawHttp.Answer refused = get("127.0.0.4", "not-a-token");
        assertEquals(429, refused.status(), refused.text());
        assertEquals(429, get("127.0.0.4", key).status(), "a valid key from the blocked address");
        RawHttp.Answer own = Gw.raw("127.0.0.4", "GET", "/api/v1/api-keys", null, "Host", "localhost",
                "Authorization", "Bearer " + key);
        assertEquals(429, own.status(), own.text());
        // other addresses are served
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        String metrics = given().port(ManagementPort.get()).get("/q/metrics").asString();
        assertTrue(metrics.matches("(?s).*dbp_gateway_auth_throttled_total\\{by=\"address\"[^}]*} [1-9].*"), "address metric");
        assertTrue(metrics.matches("(?s).*dbp_gateway_auth_failures_total[^ ]* [1-9].*"), "failure metric");
    }

    private static RawHttp.Answer get(String from, String credential) throws Exception {
        return Gw.raw(from, "GET", "/api/v1/stub/echo", null, "Host", "localhost", "Authorization", "Bearer " + credential);
    }
}
