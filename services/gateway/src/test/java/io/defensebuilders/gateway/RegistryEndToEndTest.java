package io.defensebuilders.gateway;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.IdpResource;
import io.quarkus.test.junit.QuarkusTest;

/** Through the gateway to the real sdk-registry: keys and IdP tokens in, internal JWTs out, tenancy end to end. */
@QuarkusTest
class RegistryEndToEndTest {

    @Test
    void publishesResolvesAndSearchesThroughTheGateway() {
        String tenant = Gw.newTenant("enterprise");
        String key = Gw.key(tenant, "publisher");
        String publisher = "pub-" + tenant;
        String sdk = "e2e-" + tenant;
        Gw.as(key).body(Map.of("name", publisher, "displayName", "E2E")).post("/api/v1/publishers").then().statusCode(201);
        Gw.as(key).body(Map.of("name", sdk, "publisher", publisher, "title", "End to end", "license", "MIT",
                "visibility", "private")).post("/api/v1/sdks").then().statusCode(201);
        Gw.as(key).body(Map.of("version", "1.2.3")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(201);
        Gw.as(key).queryParam("range", "^1").get("/api/v1/sdks/" + sdk + "/resolve").then().statusCode(200)
                .body("version", equalTo("1.2.3"));
        Gw.as(key).queryParam("q", sdk).get("/api/v1/sdks").then().statusCode(200).body("items.name", hasItem(sdk));

        // another tenant, through the same door, cannot see the private SDK
        String other = Gw.key(Gw.newTenant("enterprise"), "publisher");
        Gw.as(other).get("/api/v1/sdks/" + sdk).then().statusCode(404).body("status", equalTo(404));
        // a viewer of the owning tenant cannot publish
        Gw.as(Gw.key(tenant, "viewer")).body(Map.of("version", "2.0.0")).post("/api/v1/sdks/" + sdk + "/versions").then()
                .statusCode(403);
    }

    @Test
    void identityProviderUsersReachTheRegistryAsThemselves() {
        String tenant = Gw.newTenant("enterprise");
        String token = IdpResource.token("erin", tenant, "platform-publishers").sign();
        var request = io.restassured.RestAssured.given().header("Authorization", "Bearer " + token)
                .contentType("application/json");
        request.body(Map.of("name", "idp-" + tenant, "displayName", "IdP publisher")).post("/api/v1/publishers").then()
                .statusCode(201);
        List<Map<String, Object>> mine = io.restassured.RestAssured.given().header("Authorization", "Bearer " + token)
                .get("/api/v1/publishers").then().statusCode(200).extract().path("$");
        assertEquals(1, mine.size());
        assertEquals("idp-" + tenant, mine.getFirst().get("name"));
    }
}
