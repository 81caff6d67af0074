package io.defensebuilders.analytics;

import static io.restassured.RestAssured.given;

import io.defensebuilders.testing.quarkus.TestClient;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/** Test client: a caller of one tenant with given roles, minting the internal JWT the gateway would. */
public record Api(String tenant, String subject, String... roles) implements TestClient {

    public static final String QUERY = "/api/v1/analytics/query";

    public static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

    public static Api platformAdmin() {
        return new Api("bootstrap", "root", "admin", "platform-admin");
    }

    /** Posts a query; the raw response. */
    public Response post(String body) {
        return req().body(body).post(QUERY);
    }

    /** Posts a query that must succeed; the response with exact decimals. */
    public JsonPath query(String body) {
        String json = post(body).then().statusCode(200).extract().asString();
        return new JsonPath(json).using(JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
