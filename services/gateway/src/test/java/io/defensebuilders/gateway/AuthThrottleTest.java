package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

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
            assertEquals(401, RawHttp.status(get("127.0.0.2", wrong)));
        }
        String refused = get("127.0.0.2", wrong);
        assertEquals(429, RawHttp.status(refused), refused);
        assertTrue(refused.toLowerCase().contains("retry-after:") && refused.contains("application/problem+json"), refused);
        // even the right secret, from an address that has not used the key while it is blocked
        assertEquals(429, RawHttp.status(get("127.0.0.3", key)));
        // its owner is not locked out
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        Gw.as(key).get("/api/v1/api-keys").then().statusCode(403); // a viewer: authenticated, not allowed
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedBeforeItsCredentialIsRead() throws Exception {
        String key = Gw.key(Gw.newTenant("enterprise"), "viewer");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, RawHttp.status(get("127.0.0.4", "not-a-token-" + i)));
        }
        String refused = get("127.0.0.4", "not-a-token");
        assertEquals(429, RawHttp.status(refused), refused);
        assertEquals(429, RawHttp.status(get("127.0.0.4", key)), "a valid key from the blocked address");
        String own = RawHttp.exchange("127.0.0.4", RestAssured.port, "GET /api/v1/api-keys HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + key + "\r\nConnection: close\r\n\r\n", 0);
        assertEquals(429, RawHttp.status(own), own);
        // other addresses are served
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        String metrics = given().port(ManagementPort.get()).get("/q/metrics").asString();
        assertTrue(metrics.matches("(?s).*dbp_gateway_auth_throttled_total\\{by=\"address\"[^}]*} [1-9].*"), "address metric");
        assertTrue(metrics.matches("(?s).*dbp_gateway_auth_failures_total[^ ]* [1-9].*"), "failure metric");
    }

    private static String get(String from, String credential) throws Exception {
        return RawHttp.exchange(from, RestAssured.port, "GET /api/v1/stub/echo HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + credential + "\r\nConnection: close\r\n\r\n", 0);
    }
}
