package io.defensebuilders.environments;

import static io.restassured.RestAssured.given;

import io.defensebuilders.testing.quarkus.TestClient;

/** Test client: a caller of one tenant with given roles, minting the internal JWT the gateway would. */
record Api(String tenant, String subject, String... roles) implements TestClient {

    static Api builder(String tenant) {
        return new Api(tenant, "builder-" + tenant, "builder");
    }

    static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

}
