package io.defensebuilders.inference;

import static io.restassured.RestAssured.given;

import io.defensebuilders.testing.quarkus.TestClient;
import io.restassured.response.Response;

/** A test caller of the inference service. */
record Api(String tenant, String subject, String[] roles) implements TestClient {

    static Api builder(String tenant) {
        return new Api(tenant, TestClient.unique("builder"), new String[] { "builder" });
    }

    static Api viewer(String tenant) {
        return new Api(tenant, TestClient.unique("viewer"), new String[] { "viewer" });
    }

    static Api platformAdmin() {
        return new Api("platform", TestClient.unique("operator"), new String[] { "platform-admin" });
    }

    /** Uploads a model file as a new version. */
    Response upload(String name, String version, byte[] model, String... query) {
        var req = given().header("Authorization", "Bearer " + token()).contentType("application/octet-stream")
                .queryParam("name", name).queryParam("version", version).body(model);
        for (int i = 0; i + 1 < query.length; i += 2) {
            req = req.queryParam(query[i], query[i + 1]);
        }
        return req.post("/api/v1/inference/models");
    }

    /** An Open Inference Protocol call with a JSON body. */
    Response infer(String path, String body) {
        return req().body(body).post("/v2/models/" + path + "/infer");
    }

    /**
     * Waits until the server is ready (OIP server-ready: the replica's first catalog sync, the platform models
     * published, is done), as a client waits for it; at most a minute.
     */
    static void awaitServerReady() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (io.restassured.RestAssured.given().get("/v2/health/ready").statusCode() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        io.restassured.RestAssured.given().get("/v2/health/ready").then().statusCode(200);
    }
}
