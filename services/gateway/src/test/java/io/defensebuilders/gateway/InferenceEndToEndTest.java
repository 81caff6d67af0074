package io.defensebuilders.gateway;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.InferTensorContents;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.oip.KserveNodeClient;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Through the gateway to the real inference service: a tenant's model uploaded and called over the Open Inference
 * Protocol's REST and gRPC APIs with an API key, invisible to another tenant over both, and a KServe client that knows
 * nothing of this codebase working unchanged through the gateway.
 */
@QuarkusTest
class InferenceEndToEndTest {

    /** Y = X·W + B. */
    private static final float[][] W = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
    private static final float[] B = { 0.5f, -1f };
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    /** A new tenant's key and a private model of its own, uploaded through the gateway. */
    private static String[] keyAndModel() {
        String key = Gw.key(Gw.newTenant("enterprise"), "publisher");
        String model = "e2e-linear-" + UUID.randomUUID().toString().substring(0, 8);
        RestAssured.given().header("Authorization", "Bearer " + key).contentType("application/octet-stream")
                .queryParam("name", model).queryParam("version", "1").body(OnnxModels.linear(W, B))
                .post("/api/v1/inference/models").then().statusCode(201);
        return new String[] { key, model };
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpcAs(String key) {
        Metadata auth = new Metadata();
        if (key != null) {
            auth.put(AUTHORIZATION, "Bearer " + key);
        }
        return GRPCInferenceServiceGrpc.newBlockingStub(grpc.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static ModelInferRequest rows(String model, float... values) {
        List<Float> data = new ArrayList<>();
        for (float v : values) {
            data.add(v);
        }
        return ModelInferRequest.newBuilder().setModelName(model).addInputs(ModelInferRequest.InferInputTensor
                .newBuilder().setName("X").setDatatype("FP32").addShape(values.length / 3).addShape(3)
                .setContents(InferTensorContents.newBuilder().addAllFp32Contents(data))).build();
    }

    @Test
    void aTenantsModelIsServedOverRestAndGrpcThroughTheGatewayAndHiddenFromOtherTenants() {
        String[] mine = keyAndModel();
        String key = mine[0], model = mine[1];
        Gw.as(key).body("{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,1,1]}]}")
                .post("/v2/models/" + model + "/infer").then().statusCode(200)
                .body("model_name", equalTo(model)).body("outputs[0].data", contains(9.5f, 11.0f));

        ModelInferResponse answer = grpcAs(key).modelInfer(rows(model, 1, 0, 0, 1, 1, 1));
        assertEquals(model, answer.getModelName());
        assertEquals(List.of(2L, 2L), answer.getOutputs(0).getShapeList());
        // outputs come as raw little-endian contents (as Triton answers)
        ByteBuffer raw = answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<Float> y = new ArrayList<>();
        while (raw.hasRemaining()) {
            y.add(raw.getFloat());
        }
        assertEquals(List.of(1.5f, 1f, 9.5f, 11f), y);
        assertTrue(grpcAs(key).modelReady(io.defensebuilders.contracts.inference.v2.ModelReadyRequest.newBuilder()
                .setName(model).build()).getReady());

        // another tenant, through the same door: the private model does not exist for it, over gRPC as over REST
        String other = Gw.key(Gw.newTenant("enterprise"), "publisher");
        Gw.as(other).body("{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,1,1]}]}")
                .post("/v2/models/" + model + "/infer").then().statusCode(404);
        StatusRuntimeException hidden = assertThrows(StatusRuntimeException.class,
                () -> grpcAs(other).modelInfer(rows(model, 1, 1, 1)));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode(), hidden.toString());
        // bad input is the service's INVALID_ARGUMENT naming the tensor, relayed as it is
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> grpcAs(key).modelInfer(rows(model, 1, 1)));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode(), bad.toString());
        assertTrue(bad.getStatus().getDescription().contains("'X'"), bad.toString());
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
                () -> grpcAs(null).modelInfer(rows(model, 1, 1, 1)));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode(), anonymous.toString());
    }

    @Test
    void aKserveGrpcClientWorksUnchangedThroughTheGateway() throws Exception {
        Optional<Path> modules = KserveNodeClient.modules();
        Assumptions.assumeTrue(modules.isPresent(),
                "DBP_NODE_CLIENTS names no node_modules with @grpc/grpc-js (.ci/run installs it)");
        String[] mine = keyAndModel();
        JsonNode r = KserveNodeClient.run(modules.get(), "127.0.0.1:" + RestAssured.port, mine[0], mine[1]);
        assertTrue(r.path("live").asBoolean(), r.toString());
        assertTrue(r.path("ready").asBoolean(), r.toString());
        assertEquals("onnxruntime_onnx", r.path("platform").asText(), r.toString());
        assertEquals("[1.5,1,9.5,11]", r.path("typed").path("data").toString(), "X·W + B of rows [1,0,0], [1,1,1]");
        assertEquals("[1.5,1,9.5,11]", r.path("raw").toString());
        assertTrue(r.path("refused").asText().startsWith("ModelInfer: 3 "), "INVALID_ARGUMENT (3): " + r);
    }
}
