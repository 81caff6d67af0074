package io.defensebuilders.orbital;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI contract, health and metrics. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyOperationIsDocumentedWithASummaryAndProblemResponses() throws Exception {
        String json = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode doc = new ObjectMapper().readTree(json);
        List<String> expected = List.of("/api/v1/orbital/element-sets", "/api/v1/orbital/element-sets/{id}",
                "/api/v1/orbital/objects", "/api/v1/orbital/objects/{noradId}",
                "/api/v1/orbital/objects/{noradId}/element-sets", "/api/v1/orbital/propagate",
                "/api/v1/orbital/propagate/batch");
        for (String path : expected) {
            JsonNode item = doc.path("paths").path(path);
            assertTrue(!item.isMissingNode(), "missing path " + path);
            item.fields().forEachRemaining(op -> {
                String where = op.getKey().toUpperCase() + " " + path;
                assertTrue(op.getValue().path("summary").asText().length() > 5, "summary of " + where);
                JsonNode unauthorized = op.getValue().path("responses").path("401");
                assertTrue(unauthorized.path("content").has("application/problem+json"), "problem+json 401 of " + where);
            });
        }
        JsonNode ingest = doc.path("paths").path("/api/v1/orbital/element-sets").path("post").path("requestBody")
                .path("content");
        assertTrue(ingest.has("text/plain") && ingest.has("application/xml") && ingest.has("application/json"));
        assertTrue(doc.path("components").path("schemas").has("Problem"));
        assertTrue(doc.path("components").path("schemas").has("PropagationRequest"));
    }

    @Test
    void exposesHealthAndMetrics() {
        // one API call first, so the HTTP server's series exist whichever test ran before
        given().get("/api/v1/orbital/objects").then().statusCode(401);
        given().port(ManagementPort.get()).get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().port(ManagementPort.get()).get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests"))
                // every outcome of the maneuver model is a series from the start (0 until it happens), so the fleet
                // dashboard's rate shows 0 rather than no data and an alert sees the first failure as an increase
                .body(containsString("dbp_orbital_maneuver_model_calls_total{outcome=\"ok\"}"))
                .body(containsString("dbp_orbital_maneuver_model_calls_total{outcome=\"failed\"}"))
                .body(containsString("dbp_orbital_maneuver_model_calls_total{outcome=\"skipped\"}"))
                .body(containsString("dbp_orbital_maneuver_model_calls_total{outcome=\"no-token\"}"));
    }
}
