package io.defensebuilders.billing;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/** The plan catalog over REST: the default plans, versioning, who may change it and what it refuses. */
@QuarkusTest
class PlanApiTest {

    private final Api root = Api.platformAdmin();

    @Test
    void theDefaultCatalogHasFreeProTeamAndEnterpriseAndTheMarketplaceFee() {
        Api viewer = Api.viewer(TestClient.newTenant());
        viewer.req().get("/api/v1/billing/plans").then().statusCode(200)
                .body("key", hasItems("free", "pro", "team", "enterprise"));
        JsonPath pro = exact(viewer.req().get("/api/v1/billing/plans/pro").then().statusCode(200).extract().asString());
        assertEquals("USD", pro.getString("currency"));
        assertEquals("FLAT", pro.getString("charges[0].price.model"));
        assertEquals(0, new BigDecimal("99").compareTo(dec(pro.get("charges[0].price.amount"))));
        assertEquals("api.call", pro.getString("charges[1].meter"));
        assertEquals(0, new BigDecimal("100000").compareTo(dec(pro.get("charges[1].included"))));
        assertEquals("GRADUATED", pro.getString("charges[1].price.model"));
        JsonPath team = exact(viewer.req().get("/api/v1/billing/plans/team").then().statusCode(200).extract().asString());
        assertEquals(0, new BigDecimal("499").compareTo(dec(team.get("charges[0].price.amount"))));
        assertEquals("VOLUME", team.getString("charges[1].price.model"));
        viewer.req().get("/api/v1/billing/plans/enterprise").then().statusCode(200).body("custom", equalTo(true))
                .body("charges.size()", equalTo(0));
        viewer.req().get("/api/v1/billing/plans/free").then().statusCode(200).body("limits.environments", equalTo(1));
        JsonPath fees = exact(viewer.req().get("/api/v1/billing/fee-rules").then().statusCode(200).extract().asString());
        assertEquals("marketplace-fee", fees.getString("[0].key"));
        assertEquals(0, new BigDecimal("0.10").compareTo(dec(fees.get("[0].rate"))));
    }

    @Test
    void platformAdminDefinesAPlanAndPublishesNewVersions() {
        String key = TestClient.unique("plan");
        root.req().body(plan(key, "15.00")).post("/api/v1/billing/plans").then().statusCode(201)
                .header("Location", endsWith("/api/v1/billing/plans/" + key)).body("version", equalTo(1))
                .body("charges[1].price.tiers.size()", equalTo(2));
        Map<String, Object> v2 = plan(null, "17.00");
        root.req().body(v2).put("/api/v1/billing/plans/" + key).then().statusCode(200).body("version", equalTo(2));
        JsonPath latest = exact(Api.viewer(TestClient.newTenant()).req().get("/api/v1/billing/plans/" + key).then()
                .statusCode(200).extract().asString());
        assertEquals(2, latest.getInt("version"));
        assertEquals(0, new BigDecimal("17.00").compareTo(dec(latest.get("charges[0].price.amount"))));
        root.req().body(plan(key, "15.00")).post("/api/v1/billing/plans").then().statusCode(409)
                .body("type", endsWith("/conflict"));
        root.req().body(v2).put("/api/v1/billing/plans/" + TestClient.unique("nope")).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onlyPlatformAdminsChangeTheCatalog() {
        Api admin = Api.admin(TestClient.newTenant());
        admin.req().body(plan(TestClient.unique("mine"), "1")).post("/api/v1/billing/plans").then().statusCode(403)
                .contentType("application/problem+json");
        admin.req().body(plan(null, "0")).put("/api/v1/billing/plans/pro").then().statusCode(403);
        root.req().get("/api/v1/billing/plans/pro").then().body("version", equalTo(1));
    }

    @Test
    void refusesPlansThatCannotPrice() {
        String key = TestClient.unique("bad");
        List<Map<String, Object>> bodies = List.of(
                withCharges(key, List.of(Map.of("meter", "api.call", "price", Map.of("model", "QUADRATIC")))),
                withCharges(key, List.of(Map.of("meter", "api.call", "price", Map.of("model", "GRADUATED", "tiers",
                        List.of(Map.of("upTo", 10, "unitPrice", 1), Map.of("upTo", 5, "unitPrice", 1),
                                new HashMap<>(Map.of("unitPrice", 1))))))),
                withCharges(key, List.of(Map.of("meter", "api.call", "price", Map.of("model", "VOLUME", "tiers",
                        List.of(Map.of("upTo", 10, "unitPrice", 1)))))),
                withCharges(key,
                        List.of(Map.of("meter", "no.such.meter", "price", Map.of("model", "PER_UNIT", "unitPrice", 1)))),
                withCharges(key, List.of(Map.of("meter", "api.call", "price", Map.of("model", "PER_UNIT", "unitPrice", -1)))),
                withCharges(key,
                        List.of(Map.of("meter", "api.call", "price",
                                Map.of("model", "PACKAGE", "packageSize", 0, "packagePrice", 1)))),
                withCharges(key, List.of(Map.of("price", Map.of("model", "PER_UNIT", "unitPrice", 1)))),
                withCharges(key, List.of(Map.of("meter", "api.call", "price", Map.of("model", "PER_UNIT", "unitPrice", 1)),
                        Map.of("meter", "api.call", "price", Map.of("model", "PER_UNIT", "unitPrice", 2)))),
                Map.of("key", key, "name", "x", "currency", "ABC"),
                Map.of("key", key, "name", "x", "currency", "usd"),
                Map.of("key", key, "name", "x", "currency", "USD", "custom", true, "charges",
                        List.of(Map.of("price", Map.of("model", "FLAT", "amount", 1)))),
                Map.of("key", "Not A Key", "name", "x", "currency", "USD"),
                Map.of("key", key, "currency", "USD"));
        for (Map<String, Object> body : bodies) {
            String type = root.req().body(body).post("/api/v1/billing/plans").then().statusCode(400)
                    .contentType("application/problem+json").extract().path("type");
            assertEquals(true, type.endsWith("/validation") || type.endsWith("/bad-request"), body + " -> " + type);
        }
        root.req().get("/api/v1/billing/plans/" + key).then().statusCode(404);
    }

    /** A plan: a flat fee and a graduated price on api.call after 1000 included calls. */
    static Map<String, Object> plan(String key, String fee) {
        Map<String, Object> tier2 = new HashMap<>();
        tier2.put("upTo", null);
        tier2.put("unitPrice", new BigDecimal("0.001"));
        Map<String, Object> body = new HashMap<>(Map.of("name", "Test plan", "currency", "USD", "charges", List.of(
                Map.of("price", Map.of("model", "FLAT", "amount", new BigDecimal(fee))),
                Map.of("meter", "api.call", "included", 1000, "price", Map.of("model", "GRADUATED", "tiers",
                        List.of(Map.of("upTo", 5000, "unitPrice", new BigDecimal("0.002")), tier2))))));
        if (key != null) {
            body.put("key", key);
        }
        return body;
    }

    private static Map<String, Object> withCharges(String key, List<Map<String, Object>> charges) {
        return Map.of("key", key, "name", "x", "currency", "USD", "charges", charges);
    }

    static BigDecimal dec(Object number) {
        return new BigDecimal(String.valueOf(number));
    }

    static JsonPath exact(String json) {
        return new JsonPath(json).using(JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
