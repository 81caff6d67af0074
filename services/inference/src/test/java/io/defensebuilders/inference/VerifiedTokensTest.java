package io.defensebuilders.inference;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.onnx.OnnxModels;
import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * platform-common's VerifiedTokens on a real service: a token verified once is answered from memory until it expires,
 * and only that exact token, with the identity of its own caller.
 */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    MeterRegistry registry;

    private double hits() {
        return registry.get("dbp.auth.verified.tokens").tag("outcome", "hit").counter().count();
    }

    private static int models(String token, String model) {
        return given().header("Authorization", "Bearer " + token).get("/api/v1/inference/models/" + model)
                .statusCode();
    }

    @Test
    void aTokenVerifiedOnceIsAnsweredFromMemoryAsItsOwnCaller() {
        Api alice = Api.builder(TestClient.newTenant());
        String m = TestClient.unique("tokens");
        alice.upload(m, "1", OnnxModels.identity(OnnxModels.FLOAT)).then().statusCode(201);
        String aliceToken = alice.token();
        String malloryToken = Api.builder(TestClient.newTenant()).token();

        double before = hits();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, models(aliceToken, m));
            assertEquals(404, models(malloryToken, m), "another tenant's model, also from a remembered token");
        }
        assertEquals(4, hits() - before, "each token verified once, then remembered");

        // the same header and claims with another signature is not the remembered token: verified, and refused
        String forged = aliceToken.substring(0, aliceToken.lastIndexOf('.') + 1) + "A".repeat(86);
        assertEquals(401, models(forged, m));
        String unsigned = InternalJwtResource.issuer().token(alice.tenant(), alice.subject(), "builder").unsigned();
        assertEquals(401, models(unsigned, m));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() throws InterruptedException {
        Api alice = Api.builder(TestClient.newTenant());
        String token = InternalJwtResource.issuer().token(alice.tenant(), alice.subject(), "builder")
                .expiresIn(Duration.ofSeconds(3)).sign();
        given().header("Authorization", "Bearer " + token).get("/api/v1/inference/models").then().statusCode(200);
        double before = hits();
        given().header("Authorization", "Bearer " + token).get("/api/v1/inference/models").then().statusCode(200);
        assertEquals(1, hits() - before, "remembered");
        Thread.sleep(4100);
        given().header("Authorization", "Bearer " + token).get("/api/v1/inference/models").then().statusCode(401);
    }
}
