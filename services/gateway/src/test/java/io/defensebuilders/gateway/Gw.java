package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Test client: requests with an API key, and setup through the gateway's own API with the bootstrap key. */
public final class Gw {

    private static String bootstrapKey;

    private Gw() {
    }

    /** The bootstrap platform-admin key the gateway created on its first start and wrote to the key file. */
    public static synchronized String bootstrapKey() {
        if (bootstrapKey == null) {
            try {
                bootstrapKey = Files.readString(Path.of("target/bootstrap-api-key")).trim();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the gateway wrote no bootstrap key", e);
            }
        }
        return bootstrapKey;
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as(bootstrapKey());
    }

    public static String newTenant(String plan) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(plan == null ? Map.of("id", id, "name", "Tenant " + id) : Map.of("id", id, "name", "Tenant " + id, "plan", plan))
                .post("/api/v1/tenants").then().statusCode(201);
        return id;
    }

    /** A new API key of {@code tenant} with {@code roles}; returns the full secret. */
    public static String key(String tenant, String... roles) {
        return admin().body(Map.of("name", "test key", "roles", List.of(roles), "tenant", tenant))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("secret");
    }
}
