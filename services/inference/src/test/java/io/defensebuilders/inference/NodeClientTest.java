package io.defensebuilders.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.testing.oip.KserveNodeClient;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The gRPC protocol checked by a client that shares nothing with this codebase ({@link KserveNodeClient}: Node's
 * {@code @grpc/grpc-js} with KServe's proto loaded at run time), on a model this test writes. Where Node or the two
 * npm packages are missing (a laptop with only a JDK) the test is skipped; .ci/run requires them.
 */
@QuarkusTest
class NodeClientTest {

    @Test
    void aKserveGrpcClientWorksUnchanged() throws Exception {
        java.util.Optional<java.nio.file.Path> modules = KserveNodeClient.modules();
        Assumptions.assumeTrue(modules.isPresent(),
                "DBP_NODE_CLIENTS names no node_modules with @grpc/grpc-js (.ci/run installs it)");
        Api alice = Api.builder(TestClient.newTenant());
        String model = OipRestTest.linear(alice);
        JsonNode r = KserveNodeClient.run(modules.get(), "localhost:" + RestAssured.port, alice.token(), model);

        assertTrue(r.path("live").asBoolean());
        assertEquals("defense-builders-inference", r.path("server").asText());
        assertTrue(r.path("ready").asBoolean());
        assertEquals("onnxruntime_onnx", r.path("platform").asText());
        assertEquals("X", r.path("inputs").get(0).path("name").asText());
        assertEquals("FP32", r.path("inputs").get(0).path("datatype").asText());
        // int64 shapes arrive as strings (longs: String), -1 for the dynamic batch dimension
        assertEquals(List.of("-1", "3"), texts(r.path("inputs").get(0).path("shape")));
        assertEquals("node-1", r.path("typed").path("id").asText());
        assertEquals("1", r.path("typed").path("version").asText());
        assertEquals("Y", r.path("typed").path("outputs").get(0).path("name").asText());
        assertEquals(List.of("2", "2"), texts(r.path("typed").path("outputs").get(0).path("shape")));
        // X·W + B with W = [[1,2],[3,4],[5,6]], B = [0.5,-1]: rows [1,0,0] and [1,1,1]
        List<Double> expected = List.of(1.5, 1.0, 9.5, 11.0);
        assertEquals(expected, doubles(r.path("typed").path("data")));
        assertEquals(expected, doubles(r.path("raw")));
        assertTrue(r.path("refused").asText().startsWith("ModelInfer: 3 "), "INVALID_ARGUMENT (3): " + r);
        assertTrue(r.path("refused").asText().contains("'X'"), "the refusal names the tensor: " + r);
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<Double> doubles(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asDouble).toList();
    }
}
