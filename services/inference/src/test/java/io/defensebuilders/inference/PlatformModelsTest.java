package io.defensebuilders.inference;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.inference.service.ModelCatalog;
import io.defensebuilders.inference.service.PlatformModels;
import io.defensebuilders.models.maneuver.ManeuverClassifier;
import io.defensebuilders.models.text.TextEmbedding;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The platform's own models: published by the service itself at start as public models of tenant platform, called by
 * any tenant over the Open Inference Protocol, owned by nobody else, and published once however often a replica
 * tries. The embedding model answers what langchain4j computes running the same file in-process.
 */
@QuarkusTest
class PlatformModelsTest {

    private final Api alice = Api.builder(TestClient.newTenant());

    @Inject
    ModelCatalog catalog;

    @org.junit.jupiter.api.BeforeEach
    void platformModelsPublished() throws InterruptedException {
        Api.awaitServerReady();
    }

    @Inject
    InferenceConfig config;

    @Test
    void theManeuverClassifierIsEveryTenantsToCall() {
        alice.req().get("/api/v1/inference/models").then().statusCode(200)
                .body("items.name", hasItem(ManeuverClassifier.NAME));
        alice.req().get("/api/v1/inference/models/" + ManeuverClassifier.NAME).then().statusCode(200)
                .body("tenant", equalTo(PlatformModels.TENANT)).body("visibility", equalTo("public"))
                .body("defaultVersion", equalTo(ManeuverClassifier.VERSION));
        alice.req().get("/v2/models/" + ManeuverClassifier.NAME).then().statusCode(200)
                .body("inputs[0].name", equalTo(ManeuverClassifier.INPUT)).body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", contains(-1, ManeuverClassifier.FEATURES.size()))
                .body("outputs[0].shape", contains(-1, ManeuverClassifier.LABELS.size()));
        alice.req().get("/v2/models/" + ManeuverClassifier.NAME + "/ready").then().statusCode(200);

        // a geostationary north-south station-keeping burn, and a low orbit's plane change
        float[] geo = ManeuverClassifier.features("GEO", 42_164, 2, 0.01, 0.02, 1.5, 0.05);
        float[] leo = ManeuverClassifier.features("LEO", 6_900, 1, 0.1, 0.2, 40, 0.3);
        List<Float> p = alice.infer(ManeuverClassifier.NAME, body(geo, leo)).then().statusCode(200)
                .body("model_name", equalTo(ManeuverClassifier.NAME))
                .body("outputs[0].name", equalTo(ManeuverClassifier.OUTPUT))
                .body("outputs[0].shape", contains(2, ManeuverClassifier.LABELS.size()))
                .extract().jsonPath().getList("outputs[0].data", Float.class);
        int n = ManeuverClassifier.LABELS.size();
        assertEquals("STATION_KEEPING", ManeuverClassifier.LABELS.get(mostLikely(p.subList(0, n))));
        assertEquals("PLANE_CHANGE", ManeuverClassifier.LABELS.get(mostLikely(p.subList(n, 2 * n))));
    }

    @Test
    void theEmbeddingModelAnswersWhatLangchain4jComputesInProcess() throws Exception {
        alice.req().get("/v2/models/" + PlatformModels.EMBEDDING).then().statusCode(200)
                .body("inputs.name", contains("input_ids", "attention_mask", "token_type_ids"))
                .body("outputs[0].name", equalTo("last_hidden_state"))
                .body("outputs[0].shape", contains(-1, -1, 384));
        String text = "Conjunction screening for a LEO constellation with TAK integration";
        float[] served;
        try (TextEmbedding embedding = TextEmbedding.load()) {
            TextEmbedding.Tokens tokens = embedding.encode(List.of(text));
            StringBuilder inputs = new StringBuilder();
            for (String name : TextEmbedding.INPUTS) {
                inputs.append(inputs.isEmpty() ? "" : ",").append(int64(name, tokens.input(name)));
            }
            List<Float> hidden = alice.infer(PlatformModels.EMBEDDING, "{\"inputs\":[" + inputs + "]}").then()
                    .statusCode(200).body("outputs[0].shape", contains(1, tokens.tokens(), TextEmbedding.DIMENSIONS))
                    .extract().jsonPath().getList("outputs[0].data", Float.class);
            float[] floats = new float[hidden.size()];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = hidden.get(i);
            }
            served = TextEmbedding.pool(java.nio.FloatBuffer.wrap(floats), tokens)[0];
        }
        float[] expected = new dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel()
                .embed(text).content().vector();
        double cosine = TextEmbedding.similarity(served, expected);
        assertTrue(cosine > 0.9999, "cosine " + cosine);
    }

    private static String int64(String name, long[] values) {
        StringBuilder data = new StringBuilder();
        for (long v : values) {
            data.append(data.isEmpty() ? "" : ",").append(v);
        }
        return "{\"name\":\"" + name + "\",\"shape\":[1," + values.length + "],\"datatype\":\"INT64\",\"data\":["
                + data + "]}";
    }

    @Test
    void tenantsCallItButDoNotOwnIt() {
        String path = "/api/v1/inference/models/" + ManeuverClassifier.NAME + "/versions/" + ManeuverClassifier.VERSION;
        alice.req().post(path + "/unload").then().statusCode(403);
        alice.req().put("/api/v1/inference/models/" + ManeuverClassifier.NAME + "/default-version/1").then()
                .statusCode(403);
        // a tenant's own model of that name is its own, and means that model in its calls
        String own = "{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,1,1]}]}";
        Api bob = Api.builder(TestClient.newTenant());
        bob.upload(ManeuverClassifier.NAME, "1", io.defensebuilders.testing.onnx.OnnxModels
                .linear(new float[][] { { 1 }, { 1 }, { 1 } }, new float[] { 0 })).then().statusCode(201);
        bob.infer(ManeuverClassifier.NAME, own).then().statusCode(200).body("outputs[0].data", contains(3.0f));
        alice.req().get("/api/v1/inference/models/" + ManeuverClassifier.NAME).then().statusCode(200)
                .body("tenant", equalTo(PlatformModels.TENANT));
    }

    @Test
    void aReplicaThatStartsLaterFindsThemPublished() {
        int before = catalog.get(platform(), ManeuverClassifier.NAME).versions().size();
        new PlatformModels(catalog, config).publish();
        new PlatformModels(catalog, config).publish();
        assertEquals(before, catalog.get(platform(), ManeuverClassifier.NAME).versions().size());
        alice.req().get("/api/v1/inference/models/" + ManeuverClassifier.NAME).then().statusCode(200)
                .body("defaultVersion", equalTo(ManeuverClassifier.VERSION));
    }

    private static io.defensebuilders.platform.auth.Caller platform() {
        return new io.defensebuilders.platform.auth.Caller(PlatformModels.TENANT, "test",
                java.util.Set.of(io.defensebuilders.contracts.auth.Role.VIEWER));
    }

    private static String body(float[]... rows) {
        StringBuilder data = new StringBuilder();
        for (float[] row : rows) {
            for (float x : row) {
                data.append(data.isEmpty() ? "" : ",").append(x);
            }
        }
        return "{\"inputs\":[{\"name\":\"" + ManeuverClassifier.INPUT + "\",\"shape\":[" + rows.length + ","
                + rows[0].length + "],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}";
    }

    private static int mostLikely(List<Float> row) {
        float[] p = new float[row.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = row.get(i);
        }
        return ManeuverClassifier.mostLikely(p);
    }
}
