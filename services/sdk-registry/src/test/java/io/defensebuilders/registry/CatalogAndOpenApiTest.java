package io.defensebuilders.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The Backstage entity, the OpenAPI contract, health and metrics. */
@QuarkusTest
class CatalogAndOpenApiTest {

    private final Api alice = Api.publisher(TestClient.newTenant());

    @Test
    void servesABackstageComponentEntity() throws Exception {
        String publisher = alice.createPublisher();
        String sdk = TestClient.unique("backstage");
        alice.req().body(Map.of("name", sdk, "publisher", publisher, "title", "Backstage SDK", "description", "For the portal",
                "license", "MIT", "tags", List.of("c++", "tak"), "categories", List.of("c2"), "visibility", "public",
                "repository", "https://github.com/acme/backstage-sdk")).post("/api/v1/sdks").then().statusCode(201);
        alice.publish(sdk, "1.2.0");
        String yaml = alice.req().get("/api/v1/sdks/" + sdk + "/catalog-info.yaml").then().statusCode(200)
                .contentType(containsString("yaml")).extract().asString();
        JsonNode entity = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertEquals("backstage.io/v1alpha1", entity.path("apiVersion").asText());
        assertEquals("Component", entity.path("kind").asText());
        assertEquals(sdk, entity.path("metadata").path("name").asText());
        assertEquals("library", entity.path("spec").path("type").asText());
        assertEquals("production", entity.path("spec").path("lifecycle").asText());
        assertEquals("group:default/" + publisher, entity.path("spec").path("owner").asText());
        assertEquals("1.2.0", entity.path("metadata").path("annotations").path("defensebuilders.io/latest-version").asText());
        assertEquals("url:https://github.com/acme/backstage-sdk",
                entity.path("metadata").path("annotations").path("backstage.io/source-location").asText());
        List<String> tags = new ObjectMapper().convertValue(entity.path("metadata").path("tags"), List.class);
        assertTrue(tags.containsAll(List.of("c2", "c++", "tak")), tags.toString());
    }

    @Test
    void everyOperationIsDocumentedWithASummaryAndProblemResponses() throws Exception {
        String json = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode doc = new ObjectMapper().readTree(json);
        List<String> expected = List.of("/api/v1/publishers", "/api/v1/publishers/{name}", "/api/v1/sdks",
                "/api/v1/sdks/{name}", "/api/v1/sdks/{name}/versions", "/api/v1/sdks/{name}/versions/{version}",
                "/api/v1/sdks/{name}/versions/{version}/artifact", "/api/v1/sdks/{name}/versions/{version}/yank",
                "/api/v1/sdks/{name}/versions/{version}/deprecate", "/api/v1/sdks/{name}/dist-tags",
                "/api/v1/sdks/{name}/dist-tags/{tag}", "/api/v1/sdks/{name}/resolve", "/api/v1/sdks/{name}/downloads",
                "/api/v1/sdks/{name}/catalog-info.yaml");
        for (String path : expected) {
            JsonNode item = doc.path("paths").path(path);
            assertTrue(!item.isMissingNode(), "missing path " + path);
            item.fields().forEachRemaining(op -> {
                String where = op.getKey().toUpperCase() + " " + path;
                assertTrue(op.getValue().path("summary").asText().length() > 5, "summary of " + where);
                JsonNode unauthorized = op.getValue().path("responses").path("401");
                assertTrue(!unauthorized.isMissingNode(), "401 of " + where);
                assertTrue(unauthorized.path("content").has("application/problem+json"), "problem+json 401 of " + where);
            });
        }
        assertTrue(doc.path("components").path("schemas").has("Problem"));
    }

    @Test
    void exposesHealthAndPrometheusMetrics() {
        given().port(ManagementPort.get()).get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().port(ManagementPort.get()).get("/q/health/live").then().statusCode(200);
        given().port(ManagementPort.get()).get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests"));
    }
}
