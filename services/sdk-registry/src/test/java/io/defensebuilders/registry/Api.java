package io.defensebuilders.registry;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.quarkus.TestClient;

/** Test client: a caller of one tenant with given roles, and shortcuts for setting up publishers, SDKs, versions. */
public record Api(String tenant, String subject, String... roles) implements TestClient {

    public static Api publisher(String tenant) {
        return new Api(tenant, "user-" + tenant, "publisher");
    }

    public static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

    /** Makes sure the tenant has a publisher named after it and returns its name. */
    public String createPublisher() {
        String name = "pub-" + tenant;
        int status = req().body(Map.of("name", name, "displayName", "Publisher " + tenant)).post("/api/v1/publishers")
                .statusCode();
        if (status != 201) {
            req().get("/api/v1/publishers/" + name).then().statusCode(200);
        }
        return name;
    }

    /** Creates a public SDK under a new publisher; returns the SDK name. */
    public String createSdk(String name, String visibility) {
        String publisher = createPublisher();
        req().body(Map.of("name", name, "publisher", publisher, "title", "Title of " + name, "description",
                "An SDK for tests", "license", "Apache-2.0", "tags", List.of("test"), "categories", List.of("data"),
                "visibility", visibility))
                .post("/api/v1/sdks").then().statusCode(201);
        return name;
    }

    public void publish(String sdk, String version) {
        req().body(Map.of("version", version, "readme", "# " + sdk + " " + version))
                .post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(201);
    }
}
