package io.defensebuilders.analytics;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Test client: a caller of one tenant with given roles, minting the internal JWT the gateway would. */
public record Api(String tenant, String subject, String... roles) {

    public static final String QUERY = "/api/v1/analytics/query";

    public static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

    public static Api platformAdmin() {
        return new Api("bootstrap", "root", "admin", "platform-admin");
    }

    /** A tenant id nobody else uses, so tests never see each other's data. */
    public static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public RequestSpecification req() {
        String token = InternalJwtResource.issuer().token(tenant, subject, roles).sign();
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
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
