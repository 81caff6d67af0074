package io.defensebuilders.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.onnx.OnnxModels;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Open Inference Protocol v2 over REST, against models the test writes itself and ONNX Runtime runs: metadata read
 * from the model, answers that match the model's math, and every refusal as {@code {"error": ...}} with its status.
 */
@QuarkusTest
class OipRestTest {

    private static final float[][] W = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
    private static final float[] B = { 0.5f, -1 };

    private final Api alice = Api.builder(TestClient.newTenant());

    @Test
    void serverAnswersItsMetadataAndHealthWithoutCredentials() throws InterruptedException {
        given().get("/v2").then().statusCode(200).body("name", equalTo("defense-builders-inference"))
                .body("extensions", equalTo(List.of()));
        given().get("/v2/health/live").then().statusCode(200);
        // ready once the replica's first catalog sync (platform models published) is done: a client waits for it
        Api.awaitServerReady();
    }

    @Test
    void modelMetadataComesFromTheModelItself() {
        String m = linear(alice);
        alice.req().get("/v2/models/" + m).then().statusCode(200)
                .body("name", equalTo(m))
                .body("versions", contains("1"))
                .body("platform", equalTo("onnxruntime_onnx"))
                .body("inputs[0].name", equalTo("X")).body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", contains(-1, 3))
                .body("outputs[0].name", equalTo("Y")).body("outputs[0].shape", contains(-1, 2));
        alice.req().get("/v2/models/" + m + "/ready").then().statusCode(200);
        alice.req().get("/v2/models/" + m + "/versions/1/ready").then().statusCode(200);
    }

    @Test
    void inferAnswersWhatTheModelComputes() {
        String m = linear(alice);
        // row-major and flat, or nested: the same tensor
        String flat = "{\"id\":\"req-1\",\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\","
                + "\"data\":[1,0,0, 1,1,1]}]}";
        String nested = flat.replace("[1,0,0, 1,1,1]", "[[1,0,0],[1,1,1]]");
        for (String body : List.of(flat, nested)) {
            alice.infer(m, body).then().statusCode(200)
                    .body("model_name", equalTo(m)).body("model_version", equalTo("1")).body("id", equalTo("req-1"))
                    .body("outputs[0].name", equalTo("Y")).body("outputs[0].datatype", equalTo("FP32"))
                    .body("outputs[0].shape", contains(2, 2))
                    // [1,0,0]·W + B = [1.5, 1]; [1,1,1]·W + B = [9.5, 11]
                    .body("outputs[0].data", contains(1.5f, 1.0f, 9.5f, 11.0f));
        }
        alice.infer(m + "/versions/1", flat).then().statusCode(200).body("outputs[0].data[2]", equalTo(9.5f));
    }

    @Test
    void everyRefusalIsTheProtocolsErrorNamingWhatIsWrong() {
        String m = linear(alice);
        String ok = "{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
        refused(m, ok.replace("FP32", "FP64"), 400, "input 'X' is FP64; the model takes FP32");
        refused(m, ok.replace("[1,3]", "[1,4]"), 400, "input 'X' has shape [1, 4]");
        refused(m, ok.replace("[1,2,3]", "[1,2]"), 400, "input 'X' has 2 elements");
        refused(m, ok.replace("[1,2,3]", "[1,\"two\",3]"), 400, "where a number belongs");
        refused(m, ok.replace("\"X\"", "\"Z\""), 400, "the model has no input 'Z'");
        refused(m, ok.replace("FP32", "FLOAT"), 400, "datatype 'FLOAT'");
        refused(m, ok.replace("[1,3]", "[1,-3]"), 400, "shape of non-negative integers");
        refused(m, ok.replace("}]}", "}],\"outputs\":[{\"name\":\"Q\"}]}"), 400, "the model has no output 'Q'");
        refused(m, "{\"inputs\":[]}", 400, "\"inputs\" is a non-empty array");
        refused(m, "{\"inputs\":", 400, "the body is not JSON");
        refused(m, "[1,2]", 400, "JSON object");
        refused(m + "-nope", ok, 404, "no model '" + m + "-nope'");
        refused(m + "/versions/9", ok, 404, "has no version '9'");
        // larger than dbp.inference.max-request-bytes (64 KiB in tests)
        refused(m, ok.replace("[1,2,3]", "[1,2,3" + ",0".repeat(40_000) + "]"), 413, "at most 65536 bytes");
    }

    @Test
    void requestedOutputsAreTheOnlyOnesAnswered() {
        String m = linear(alice);
        alice.infer(m, "{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[0,0,0]}],"
                + "\"outputs\":[{\"name\":\"Y\"}]}").then().statusCode(200)
                .body("outputs.name", contains("Y")).body("outputs[0].data", contains(0.5f, -1.0f))
                .body("$", not(hasKey("id")));
    }

    @Test
    void everyDatatypeRoundTripsThroughTheRuntime() {
        record Case(int onnx, String datatype, String data, Object expected) {
        }
        List<Case> cases = List.of(
                new Case(OnnxModels.INT64, "INT64", "[-9007199254740993,0,42]", List.of(-9007199254740993L, 0, 42)),
                new Case(OnnxModels.INT32, "INT32", "[-2147483648,7,2147483647]", List.of(-2147483648, 7, 2147483647)),
                new Case(OnnxModels.INT16, "INT16", "[-32768,1,32767]", List.of(-32768, 1, 32767)),
                new Case(OnnxModels.INT8, "INT8", "[-128,0,127]", List.of(-128, 0, 127)),
                new Case(OnnxModels.UINT8, "UINT8", "[0,128,255]", List.of(0, 128, 255)),
                new Case(OnnxModels.BOOL, "BOOL", "[true,false,true]", List.of(true, false, true)),
                new Case(OnnxModels.DOUBLE, "FP64", "[0.1,-2.5,1e300]", List.of(0.1, -2.5, 1e300)),
                new Case(OnnxModels.FLOAT16, "FP16", "[0.5,-2,1024]", List.of(0.5f, -2.0f, 1024.0f)),
                new Case(OnnxModels.STRING, "BYTES", "[\"SGP4\",\"\",\"Δv\"]", List.of("SGP4", "", "Δv")));
        for (Case c : cases) {
            String m = TestClient.unique("id-" + c.datatype().toLowerCase());
            alice.upload(m, "1", OnnxModels.identity(c.onnx())).then().statusCode(201)
                    .body("inputs[0].datatype", equalTo(c.datatype()));
            var out = alice.infer(m, "{\"inputs\":[{\"name\":\"X\",\"shape\":[3],\"datatype\":\"" + c.datatype()
                    + "\",\"data\":" + c.data() + "}]}").then().statusCode(200)
                    .body("outputs[0].datatype", equalTo(c.datatype())).body("outputs[0].shape", contains(3))
                    .extract().jsonPath();
            List<Object> data = out.using(new io.restassured.path.json.config.JsonPathConfig(
                    io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL))
                    .getList("outputs[0].data");
            assertEquals(normalise(c.expected()), normalise(data), c.datatype());
        }
        // out of a datatype's range: refused, not wrapped around
        String m = TestClient.unique("id-uint8");
        alice.upload(m, "1", OnnxModels.identity(OnnxModels.UINT8)).then().statusCode(201);
        refused(m, "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"UINT8\",\"data\":[256]}]}", 400,
                "an integer from 0 to 255");
        refused(m, "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"UINT8\",\"data\":[1.5]}]}", 400,
                "an integer from 0 to 255");
    }

    private static Object normalise(Object list) {
        // numbers as exact decimals: what was sent against what came back, without a float parse in between
        return ((List<?>) list).stream().map(x -> x instanceof Number n
                ? (Object) new java.math.BigDecimal(n.toString()).stripTrailingZeros().toString()
                : x).toList();
    }

    private void refused(String path, String body, int status, String message) {
        alice.infer(path, body).then().statusCode(status).contentType(containsString("application/json"))
                .body("error", containsString(message)).body("type", nullValue());
    }

    static String linear(Api owner) {
        String m = TestClient.unique("linear");
        owner.upload(m, "1", OnnxModels.linear(W, B)).then().statusCode(201);
        return m;
    }
}
