package io.defensebuilders.testing.quarkus;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A test's caller: one tenant, one subject, some roles, and the internal JWT the gateway would mint for them
 * ({@link InternalJwtResource}). Each service's test {@code Api} record implements it and adds that service's calls.
 */
public interface TestClient {

    String tenant();

    String subject();

    String[] roles();

    /** A signed internal JWT for this caller. */
    default String token() {
        return InternalJwtResource.issuer().token(tenant(), subject(), roles()).sign();
    }

    /** A JSON request as this caller. */
    default RequestSpecification req() {
        return given().header("Authorization", "Bearer " + token()).contentType(ContentType.JSON);
    }

    /** A tenant id nobody else uses, so tests never see each other's data. */
    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A name nobody else uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
