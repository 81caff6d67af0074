package io.defensebuilders.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.models.text.TextEmbedding;
import io.defensebuilders.testing.grpc.GrpcTestServer;
import io.defensebuilders.testing.http.FakeTokenMint;
import io.defensebuilders.testing.jwt.TokenIssuer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The inference service's gRPC {@code ModelInfer} for the platform's text embedding model, on a real gRPC server: the
 * same ONNX file (all-MiniLM-L6-v2 from langchain4j's jar) run by ONNX Runtime, its inputs read from raw input
 * contents and its output answered in raw output contents, as the inference service does; and the gateway's token
 * mint the registry gets its platform tokens from. Calls are counted ({@link #CALLS}, with the texts' rows in
 * {@link #ROWS}); {@link #HANG} makes it take calls and never answer, as a hung service does.
 */
public class FakeInference implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "dbp_0123456789abcdef_fake-platform-admin-key-for-the-registry-tests";
    public static final AtomicInteger CALLS = new AtomicInteger();
    public static final AtomicInteger ROWS = new AtomicInteger();
    public static volatile boolean HANG;
    public static volatile String lastTenant = "";
    private GrpcTestServer server;
    private FakeTokenMint mint;
    private OrtSession session;

    @Override
    public Map<String, String> start() {
        try (InputStream onnx = FakeInference.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            session = OrtEnvironment.getEnvironment().createSession(onnx.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        server = GrpcTestServer.start(new Inference());
        mint = FakeTokenMint.start(API_KEY, new TokenIssuer(), Duration.ofMinutes(5));
        Map<String, String> config = new HashMap<>(server.clientConfig("inference"));
        config.put("dbp.registry.search.semantic.gateway-api-key", API_KEY);
        config.put("dbp.registry.search.semantic.gateway-url", mint.baseUrl());
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (mint != null) {
            mint.close();
        }
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // closing
            }
        }
    }

    private final class Inference extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
            String bearer = GrpcTestServer.authorization();
            if (bearer == null || !bearer.startsWith("Bearer ")) {
                out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            lastTenant = GrpcTestServer.tenantOf(bearer);
            CALLS.incrementAndGet();
            if (HANG) {
                return; // never answers
            }
            if (!request.getModelName().equals(TextEmbedding.NAME)
                    || request.getRawInputContentsCount() != request.getInputsCount()) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("not a call of " + TextEmbedding.NAME)
                        .asRuntimeException());
                return;
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                long[] shape = null;
                for (int i = 0; i < request.getInputsCount(); i++) {
                    var input = request.getInputs(i);
                    shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
                    LongBuffer values = request.getRawInputContents(i).asReadOnlyByteBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
                    long[] copy = new long[values.remaining()];
                    values.get(copy);
                    inputs.put(input.getName(), OnnxTensor.createTensor(env, LongBuffer.wrap(copy), shape));
                }
                ROWS.addAndGet((int) shape[0]);
                try (OrtSession.Result result = session.run(inputs)) {
                    OnnxTensor hidden = (OnnxTensor) result.get(TextEmbedding.OUTPUT).orElseThrow();
                    FloatBuffer floats = hidden.getFloatBuffer();
                    ByteBuffer raw = ByteBuffer.allocate(floats.remaining() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    raw.asFloatBuffer().put(floats);
                    ModelInferResponse.InferOutputTensor.Builder tensor = ModelInferResponse.InferOutputTensor
                            .newBuilder().setName(TextEmbedding.OUTPUT).setDatatype("FP32");
                    for (long d : hidden.getInfo().getShape()) {
                        tensor.addShape(d);
                    }
                    out.onNext(ModelInferResponse.newBuilder().setModelName(TextEmbedding.NAME).setModelVersion("1")
                            .addOutputs(tensor).addRawOutputContents(ByteString.copyFrom(raw)).build());
                    out.onCompleted();
                }
            } catch (OrtException | RuntimeException e) {
                out.onError(Status.INVALID_ARGUMENT.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }
}
