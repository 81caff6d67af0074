package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** One OpenAPI document for the whole public API. */
@QuarkusTest
class OpenApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void mergesTheGatewayAndEveryReachableService() {
        Map<String, Object> doc = given().get("/openapi.json").then().statusCode(200).extract().as(Map.class);
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        for (String path : new String[] { "/api/v1/tenants", "/api/v1/api-keys", "/api/v1/sdks", "/api/v1/sdks/{name}",
                "/api/v1/publishers", "/api/v1/sdks/{name}/versions/{version}/artifact", "/api/v1/billing/plans",
                "/api/v1/billing/entitlements/{feature}" }) {
            assertTrue(paths.containsKey(path), "missing " + path);
        }
        assertTrue(paths.keySet().stream().noneMatch(p -> p.startsWith("/q/")), "internal endpoints leak");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertTrue(schemas.containsKey("Sdk") && schemas.containsKey("NewTenant") && schemas.containsKey("Problem"));
        assertTrue(((java.util.List<String>) doc.get("x-unavailable-services")).contains("orbital"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
