package io.defensebuilders.inference;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.http.PartialUpload;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The model catalog: uploads checked by ONNX Runtime and by their hash, immutable versions with a default, loading
 * and unloading, and tenancy (another tenant's private model does not exist for a caller; public ones do).
 */
@QuarkusTest
class ModelCatalogTest {

    private static final String ONE = "{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,1,1]}]}";

    private final Api alice = Api.builder(TestClient.newTenant());
    private final Api mallory = Api.builder(TestClient.newTenant());

    @Test
    void anUploadIsHashedAndDescribedByTheModel() throws Exception {
        byte[] model = OnnxModels.linear(new float[][] { { 1 }, { 1 }, { 1 } }, new float[] { 0 });
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        String m = TestClient.unique("sum");
        alice.upload(m, "1.0.0", model, "sha256", sha256, "description", "adds three numbers").then().statusCode(201)
                .body("version", equalTo("1.0.0")).body("sha256", equalTo(sha256))
                .body("sizeBytes", equalTo(model.length)).body("state", equalTo("READY"))
                .body("desired", equalTo("loaded")).body("inputs[0].shape", contains(-1, 3));
        alice.req().get("/api/v1/inference/models/" + m).then().statusCode(200)
                .body("description", equalTo("adds three numbers")).body("visibility", equalTo("private"))
                .body("defaultVersion", equalTo("1.0.0")).body("versions.version", contains("1.0.0"));
        alice.infer(m, ONE).then().statusCode(200).body("outputs[0].data", contains(3.0f));
    }

    @Test
    void uploadsThatAreNotModelsOrNotWhatWasSentAreRefused() {
        String m = TestClient.unique("bad");
        alice.upload(m, "1", "not an onnx model".getBytes()).then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("not a model ONNX Runtime can load"));
        alice.upload(m, "1", new byte[0]).then().statusCode(400).body("detail", containsString("empty"));
        alice.upload(m, "1", OnnxModels.identity(OnnxModels.FLOAT), "sha256", "0".repeat(64)).then().statusCode(400)
                .body("detail", containsString("not the " + "0".repeat(64)));
        alice.upload("Bad Name", "1", OnnxModels.identity(OnnxModels.FLOAT)).then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        alice.upload(m, "1", OnnxModels.identity(OnnxModels.FLOAT), "visibility", "everyone").then().statusCode(400)
                .body("errors[0].field", equalTo("visibility"));
        // none of the refused uploads left a model behind
        alice.req().get("/api/v1/inference/models/" + m).then().statusCode(404);
        // larger than dbp.inference.models.max-bytes (1 MiB in tests)
        alice.upload(m, "1", new byte[1024 * 1024 + 1]).then().statusCode(413).body("limitBytes", equalTo(1048576));
        Api.viewer(alice.tenant()).upload(m, "1", OnnxModels.identity(OnnxModels.FLOAT)).then().statusCode(403);
    }

    @Test
    void aVersionKeepsTheBatchingItWasUploadedWith() {
        String m = TestClient.unique("batched");
        byte[] model = OnnxModels.linear(new float[][] { { 1 }, { 1 }, { 1 } }, new float[] { 0 });
        // the service's settings where the upload chose none (tests: max-batch-size 8, max-queue-delay 0)
        alice.upload(m, "1", model).then().statusCode(201).body("batching.maxBatchSize", equalTo(8))
                .body("batching.maxQueueDelayMicros", equalTo(0));
        alice.upload(m, "2", model, "maxBatchSize", "1", "maxQueueDelayMicros", "2500").then().statusCode(201)
                .body("batching.maxBatchSize", equalTo(1)).body("batching.maxQueueDelayMicros", equalTo(2500));
        // read back from the catalog, not from the upload's answer
        alice.req().get("/api/v1/inference/models/" + m).then().statusCode(200)
                .body("versions.batching.maxBatchSize", contains(8, 1))
                .body("versions.batching.maxQueueDelayMicros", contains(0, 2500));
        alice.infer(m, ONE).then().statusCode(200).body("outputs[0].data", contains(3.0f));

        for (String[] bad : List.of(new String[] { "maxBatchSize", "0" }, new String[] { "maxBatchSize", "1025" },
                new String[] { "maxQueueDelayMicros", "-1" }, new String[] { "maxQueueDelayMicros", "1000001" })) {
            alice.upload(m, "3", model, bad[0], bad[1]).then().statusCode(400)
                    .contentType(containsString("application/problem+json")).body("errors[0].field", equalTo(bad[0]));
        }
        alice.upload(m, "3", model, "maxBatchSize", "eight").then().statusCode(400)
                .body("errors[0].field", equalTo("maxBatchSize"));
        alice.req().get("/api/v1/inference/models/" + m).then().statusCode(200).body("versions.version",
                contains("1", "2"));
    }

    @Test
    void anUploadRefusedBeforeItsBodyIsReadClosesTheConnection() throws Exception {
        String m = TestClient.unique("early");
        alice.upload(m, "1", OnnxModels.identity(OnnxModels.FLOAT)).then().statusCode(201);
        // the same version again, announced at 1,000,000 bytes of which a tenth is sent: the 409 comes before the body
        // is read, and the server closes the connection rather than buffer whatever the client still sends (a read
        // that times out means it kept it)
        assertEquals("HTTP/1.1 409 Conflict", PartialUpload.statusThenClose(RestAssured.port, "POST",
                "/api/v1/inference/models?name=" + m + "&version=1", 1_000_000, 100_000, Duration.ofSeconds(10),
                "Authorization: Bearer " + alice.token(), "Content-Type: application/octet-stream"));
    }

    @Test
    void versionsAreImmutableAndTheDefaultIsChosen() {
        String m = TestClient.unique("versions");
        alice.upload(m, "1", OnnxModels.linear(new float[][] { { 1 }, { 1 }, { 1 } }, new float[] { 0 }))
                .then().statusCode(201);
        alice.upload(m, "1", OnnxModels.linear(new float[][] { { 2 }, { 2 }, { 2 } }, new float[] { 0 }))
                .then().statusCode(409).body("detail", containsString("immutable"));
        alice.upload(m, "2", OnnxModels.linear(new float[][] { { 2 }, { 2 }, { 2 } }, new float[] { 0 }))
                .then().statusCode(201);
        // the first version stays the default until another is chosen
        alice.infer(m, ONE).then().statusCode(200).body("model_version", equalTo("1"))
                .body("outputs[0].data", contains(3.0f));
        alice.infer(m + "/versions/2", ONE).then().statusCode(200).body("outputs[0].data", contains(6.0f));
        alice.req().put("/api/v1/inference/models/" + m + "/default-version/2").then().statusCode(200)
                .body("defaultVersion", equalTo("2"));
        alice.infer(m, ONE).then().statusCode(200).body("model_version", equalTo("2"));
        alice.req().get("/v2/models/" + m).then().statusCode(200).body("versions", contains("1", "2"));
        alice.req().put("/api/v1/inference/models/" + m + "/default-version/7").then().statusCode(404);
    }

    @Test
    void anUnloadedVersionIsNotReadyUntilLoadedAgain() {
        String m = OipRestTest.linear(alice);
        alice.req().post("/api/v1/inference/models/" + m + "/versions/1/unload").then().statusCode(200)
                .body("desired", equalTo("unloaded")).body("state", equalTo("UNLOADED"));
        alice.req().get("/v2/models/" + m + "/ready").then().statusCode(400).body("error", containsString("unloaded"));
        alice.infer(m, ONE).then().statusCode(409).body("error", containsString("load it first"));
        alice.req().post("/api/v1/inference/models/" + m + "/versions/1/load").then().statusCode(200)
                .body("state", equalTo("READY"));
        alice.req().get("/v2/models/" + m + "/ready").then().statusCode(200);
        alice.infer(m, ONE).then().statusCode(200);
        // a viewer may call a model, not change it
        Api.viewer(alice.tenant()).req().post("/api/v1/inference/models/" + m + "/versions/1/unload").then()
                .statusCode(403);
        Api.viewer(alice.tenant()).infer(m, ONE).then().statusCode(200);
    }

    @Test
    void anotherTenantsPrivateModelDoesNotExistForACaller() {
        String m = OipRestTest.linear(alice);
        mallory.req().get("/api/v1/inference/models/" + m).then().statusCode(404);
        mallory.req().get("/v2/models/" + m).then().statusCode(404).body("error", containsString("no model"));
        mallory.req().get("/v2/models/" + m + "/ready").then().statusCode(404);
        mallory.infer(m, ONE).then().statusCode(404);
        mallory.req().post("/api/v1/inference/models/" + m + "/versions/1/unload").then().statusCode(404);
        mallory.req().get("/api/v1/inference/models").then().statusCode(200).body("items.name", not(hasItem(m)));
        // the same name is free in another tenant, and means that tenant's own model there
        mallory.upload(m, "1", OnnxModels.linear(new float[][] { { 0 }, { 0 }, { 0 } }, new float[] { 7 }))
                .then().statusCode(201);
        mallory.infer(m, ONE).then().statusCode(200).body("outputs[0].data", contains(7.0f));
        alice.infer(m, ONE).then().statusCode(200).body("outputs[0].data", contains(9.5f, 11.0f));
    }

    @Test
    void publicModelsArePublishedByPlatformAdminsAndSeenByEveryTenant() {
        String m = TestClient.unique("platform-model");
        byte[] model = OnnxModels.linear(new float[][] { { 1 }, { 0 }, { 0 } }, new float[] { 0 });
        alice.upload(m, "1", model, "visibility", "public").then().statusCode(403);
        Api.platformAdmin().upload(m, "1", model, "visibility", "public").then().statusCode(201);
        mallory.req().get("/api/v1/inference/models").then().statusCode(200).body("items.name", hasItem(m));
        mallory.req().get("/api/v1/inference/models/" + m).then().statusCode(200)
                .body("visibility", equalTo("public")).body("tenant", equalTo("platform"));
        mallory.infer(m, ONE).then().statusCode(200).body("outputs[0].data", contains(1.0f));
        // seeing is not owning
        mallory.req().post("/api/v1/inference/models/" + m + "/versions/1/unload").then().statusCode(403);
    }
}
