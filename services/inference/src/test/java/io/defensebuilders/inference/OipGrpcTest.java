package io.defensebuilders.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.protobuf.ByteString;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.InferTensorContents;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.contracts.inference.v2.ModelMetadataRequest;
import io.defensebuilders.contracts.inference.v2.ModelReadyRequest;
import io.defensebuilders.contracts.inference.v2.ServerLiveRequest;
import io.defensebuilders.contracts.inference.v2.ServerMetadataRequest;
import io.defensebuilders.contracts.inference.v2.ServerReadyRequest;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}) through the stubs generated from
 * KServe's proto: typed and raw inputs, raw outputs, and refusals as the matching status codes.
 */
@QuarkusTest
class OipGrpcTest {

    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    private final Api alice = Api.builder(TestClient.newTenant());

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub as(Api caller) {
        return grpc.as(caller, GRPCInferenceServiceGrpc::newBlockingStub, Duration.ofSeconds(20));
    }

    @Test
    void serverHealthAndMetadataNeedNoToken() throws InterruptedException {
        var anonymous = GRPCInferenceServiceGrpc.newBlockingStub(grpc.channel());
        assertTrue(anonymous.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        // ready once the replica's first catalog sync (platform models published) is done: a client waits for it
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!anonymous.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(anonymous.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals("defense-builders-inference",
                anonymous.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
        var refused = assertThrows(StatusRuntimeException.class,
                () -> anonymous.modelReady(ModelReadyRequest.newBuilder().setName("any").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    }

    @Test
    void typedAndRawInputsGiveWhatTheModelComputes() {
        String m = OipRestTest.linear(alice);
        var meta = as(alice).modelMetadata(ModelMetadataRequest.newBuilder().setName(m).build());
        assertEquals(List.of("1"), meta.getVersionsList());
        assertEquals("onnxruntime_onnx", meta.getPlatform());
        assertEquals(List.of(-1L, 3L), meta.getInputs(0).getShapeList());
        assertTrue(as(alice).modelReady(ModelReadyRequest.newBuilder().setName(m).setVersion("1").build()).getReady());

        var typed = input(m).setId("g-1").addInputs(tensor("X", "FP32").clearShape().addShape(2).addShape(3).setContents(
                InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 0f, 0f, 1f, 1f, 1f)))).build();
        ByteBuffer raw = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] { 1, 0, 0, 1, 1, 1 }) {
            raw.putFloat(f);
        }
        var rawRequest = input(m).addInputs(tensor("X", "FP32").clearShape().addShape(2).addShape(3))
                .addRawInputContents(ByteString.copyFrom(raw.flip()))
                .build();
        for (ModelInferRequest request : List.of(typed, rawRequest)) {
            ModelInferResponse r = as(alice).modelInfer(request);
            assertEquals(m, r.getModelName());
            assertEquals("1", r.getModelVersion());
            assertEquals("Y", r.getOutputs(0).getName());
            assertEquals("FP32", r.getOutputs(0).getDatatype());
            assertEquals(List.of(2L, 2L), r.getOutputs(0).getShapeList());
            assertArrayEquals(new float[] { 1.5f, 1f, 9.5f, 11f }, floats(r.getRawOutputContents(0)));
        }
        assertEquals("g-1", as(alice).modelInfer(typed).getId());
    }

    @Test
    void stringsAndIntegersRoundTripInTheRawLayout() {
        String s = TestClient.unique("id-bytes");
        alice.upload(s, "1", OnnxModels.identity(OnnxModels.STRING)).then().statusCode(201);
        var r = as(alice).modelInfer(ModelInferRequest.newBuilder().setModelName(s).addInputs(tensor("X", "BYTES")
                .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("Δv"))
                        .addBytesContents(ByteString.EMPTY)))
                .build());
        ByteBuffer out = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] first = new byte[out.getInt()];
        out.get(first);
        assertEquals("Δv", new String(first, StandardCharsets.UTF_8));
        assertEquals(0, out.getInt());
        assertEquals(0, out.remaining());

        String l = TestClient.unique("id-int64");
        alice.upload(l, "1", OnnxModels.identity(OnnxModels.INT64)).then().statusCode(201);
        var longs = as(alice).modelInfer(ModelInferRequest.newBuilder().setModelName(l).addInputs(tensor("X", "INT64")
                .setContents(InferTensorContents.newBuilder().addInt64Contents(Long.MIN_VALUE).addInt64Contents(7)))
                .build()).getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Long.MIN_VALUE, longs.getLong());
        assertEquals(7, longs.getLong());
    }

    @Test
    void refusalsCarryTheMatchingCode() {
        String m = OipRestTest.linear(alice);
        var ok = InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f));
        refused(Status.Code.INVALID_ARGUMENT, "input 'X' is FP64",
                input(m).addInputs(tensor("X", "FP64").setContents(InferTensorContents.newBuilder()
                        .addAllFp64Contents(List.of(1.0, 2.0, 3.0)))).build(),
                alice);
        // the datatype's own field must hold the elements
        refused(Status.Code.INVALID_ARGUMENT, "input 'X' has 0 elements in its FP64 contents",
                input(m).addInputs(tensor("X", "FP64").setContents(ok)).build(), alice);
        refused(Status.Code.INVALID_ARGUMENT, "input 'X' has 2 elements in its FP32 contents; its shape [1, 3] holds 3",
                input(m).addInputs(tensor("X", "FP32").setContents(InferTensorContents.newBuilder()
                        .addAllFp32Contents(List.of(1f, 2f)))).build(),
                alice);
        refused(Status.Code.INVALID_ARGUMENT, "raw contents of input 'X' holds 5 bytes",
                input(m).addInputs(tensor("X", "FP32")).addRawInputContents(ByteString.copyFrom(new byte[5])).build(),
                alice);
        refused(Status.Code.INVALID_ARGUMENT, "one per input",
                input(m).addInputs(tensor("X", "FP32")).addRawInputContents(ByteString.copyFrom(new byte[12]))
                        .addRawInputContents(ByteString.EMPTY).build(),
                alice);
        refused(Status.Code.NOT_FOUND, "no model",
                input(m + "-nope").addInputs(tensor("X", "FP32").setContents(ok)).build(), alice);
        // another tenant's private model does not exist for a caller
        refused(Status.Code.NOT_FOUND, "no model", input(m).addInputs(tensor("X", "FP32").setContents(ok)).build(),
                Api.builder(TestClient.newTenant()));
        alice.req().post("/api/v1/inference/models/" + m + "/versions/1/unload").then().statusCode(200);
        refused(Status.Code.FAILED_PRECONDITION, "load it first",
                input(m).addInputs(tensor("X", "FP32").setContents(ok)).build(), alice);
        assertTrue(!as(alice).modelReady(ModelReadyRequest.newBuilder().setName(m).build()).getReady());
    }

    private void refused(Status.Code code, String message, ModelInferRequest request, Api caller) {
        var e = assertThrows(StatusRuntimeException.class, () -> as(caller).modelInfer(request));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
    }

    private static ModelInferRequest.Builder input(String model) {
        return ModelInferRequest.newBuilder().setModelName(model);
    }

    private static ModelInferRequest.InferInputTensor.Builder tensor(String name, String datatype) {
        var t = ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        return switch (datatype) {
            case "BYTES", "INT64" -> t.addShape(2);
            default -> t.addShape(1).addShape(3);
        };
    }

    private static float[] floats(ByteString raw) {
        var b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
