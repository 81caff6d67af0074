package io.defensebuilders.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The meter catalog over REST: who may change it, what it accepts, and what it refuses. */
@QuarkusTest
class MeterApiTest {

    private final Api root = Api.platformAdmin();

    @Test
    void theGatewaysApiCallsAreMeteredOutOfTheBox() {
        root.req().get("/api/v1/billing/meters/api.call").then().statusCode(200)
                .body("eventMeter", equalTo("api.call"))
                .body("aggregation", equalTo("COUNT"))
                .body("groupBy", equalTo(List.of("route")));
    }

    @Test
    void platformAdminDefinesChangesAndRetiresAMeter() {
        String key = TestClient.unique("bytes");
        root.req().body(Map.of("key", key, "eventMeter", "api.call", "aggregation", "SUM", "valueProperty",
                "attributes.bytesOut", "groupBy", List.of("route"), "description", "bytes out"))
                .post("/api/v1/billing/meters").then().statusCode(201)
                .header("Location", endsWith("/api/v1/billing/meters/" + key))
                .body("valueProperty", equalTo("attributes.bytesOut"));
        Api.viewer(TestClient.newTenant()).req().get("/api/v1/billing/meters").then().statusCode(200)
                .body("key", hasItem(key));

        root.req().body(Map.of("description", "bytes sent", "groupBy", List.of("route", "method"), "aggregation", "SUM"))
                .patch("/api/v1/billing/meters/" + key).then().statusCode(200)
                .body("description", equalTo("bytes sent"))
                .body("groupBy", equalTo(List.of("route", "method")));
        root.req().body(Map.of("aggregation", "MAX")).patch("/api/v1/billing/meters/" + key).then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/conflict"));
        root.req().body(Map.of("valueProperty", "quantity")).patch("/api/v1/billing/meters/" + key).then()
                .statusCode(409);

        root.req().delete("/api/v1/billing/meters/" + key).then().statusCode(204);
        root.req().get("/api/v1/billing/meters/" + key).then().statusCode(404).contentType("application/problem+json");
        root.req().delete("/api/v1/billing/meters/" + key).then().statusCode(404);
        root.req().get("/api/v1/billing/meters").then().body("key", not(hasItem(key)));
        // a retired meter's key is free again
        Api.createMeter(key, "api.call", "COUNT", null, List.of());
    }

    @Test
    void aMeterKeyIsUnique() {
        String key = Api.createMeter(TestClient.unique("dup"), "api.call", "COUNT", null, List.of());
        root.req().body(Map.of("key", key, "eventMeter", "other", "aggregation", "COUNT"))
                .post("/api/v1/billing/meters").then().statusCode(409).body("type", endsWith("/conflict"));
    }

    @Test
    void onlyPlatformAdminsChangeTheCatalog() {
        Map<String, Object> body = Map.of("key", TestClient.unique("mine"), "eventMeter", "api.call", "aggregation", "COUNT");
        Api.admin(TestClient.newTenant()).req().body(body).post("/api/v1/billing/meters").then().statusCode(403)
                .contentType("application/problem+json");
        Api.admin(TestClient.newTenant()).req().delete("/api/v1/billing/meters/api.call").then().statusCode(403);
        Api.admin(TestClient.newTenant()).req().body(Map.of("description", "x")).patch("/api/v1/billing/meters/api.call")
                .then().statusCode(403);
        given().get("/api/v1/billing/meters").then().statusCode(401).contentType("application/problem+json");
        root.req().get("/api/v1/billing/meters/api.call").then().statusCode(200);
    }

    @Test
    void refusesDefinitionsThatCannotMeter() {
        String key = TestClient.unique("bad");
        List<Map<String, Object>> bodies = List.of(
                Map.of("key", key, "eventMeter", "e", "aggregation", "PERCENTILE"),
                Map.of("key", key, "eventMeter", "e", "aggregation", "SUM"),
                Map.of("key", key, "eventMeter", "e", "aggregation", "COUNT", "valueProperty", "quantity"),
                Map.of("key", key, "eventMeter", "e", "aggregation", "MAX", "valueProperty", "payload.size"),
                Map.of("key", key, "eventMeter", "e", "aggregation", "SUM", "valueProperty", "subject"),
                Map.of("key", "Not A Key", "eventMeter", "e", "aggregation", "COUNT"),
                Map.of("key", key, "aggregation", "COUNT"),
                Map.of("key", key, "eventMeter", "e", "aggregation", "COUNT", "groupBy", List.of("route", "route")),
                Map.of("key", key, "eventMeter", "e", "aggregation", "COUNT", "groupBy", List.of("no spaces")),
                Map.of("key", key, "eventMeter", "e", "aggregation", "COUNT", "groupBy",
                        List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")));
        for (Map<String, Object> body : bodies) {
            String type = root.req().body(body).post("/api/v1/billing/meters").then()
                    .statusCode(400).contentType("application/problem+json").extract().path("type");
            assertEquals(true, type.endsWith("/validation") || type.endsWith("/bad-request"), body + " -> " + type);
        }
        root.req().body("{\"key\": ").post("/api/v1/billing/meters").then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/bad-request"));
        root.req().get("/api/v1/billing/meters/" + key).then().statusCode(404);
    }
}
