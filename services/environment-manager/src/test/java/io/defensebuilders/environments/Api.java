package io.defensebuilders.environments;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Test client: a caller of one tenant with given roles, minting the internal JWT the gateway would. */
record Api(String tenant, String subject, String... roles) {

    static Api builder(String tenant) {
        return new Api(tenant, "builder-" + tenant, "builder");
    }

    static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    RequestSpecification req() {
        String token = InternalJwtResource.issuer().token(tenant, subject, roles).sign();
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }
}
