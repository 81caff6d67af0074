package io.defensebuilders.orbital;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.models.maneuver.ManeuverClassifier;
import io.defensebuilders.testing.grpc.GrpcTestServer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The inference service's gRPC {@code ModelInfer} for the platform's maneuver classifier, on a real gRPC server (Netty,
 * a free port): the model the build trained (libs/models) run by ONNX Runtime, answered in raw output contents as the
 * inference service answers. It insists on a bearer token and counts the calls per calling tenant ({@link #CALLS});
 * {@link #HANG} makes it take calls and never answer, as a hung service does.
 */
public class FakeInference implements QuarkusTestResourceLifecycleManager {

    public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    public static volatile boolean HANG;
    private GrpcTestServer server;
    private OrtSession session;

    @Override
    public Map<String, String> start() {
        try {
            session = OrtEnvironment.getEnvironment().createSession(ManeuverClassifier.onnx());
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        server = GrpcTestServer.start(new Inference());
        return server.clientConfig("inference");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // closing
            }
        }
    }

    static int calls(String tenant) {
        AtomicInteger n = CALLS.get(tenant);
        return n == null ? 0 : n.get();
    }

    private final class Inference extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
            String bearer = GrpcTestServer.authorization();
            if (bearer == null || !bearer.startsWith("Bearer ")) {
                out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            CALLS.computeIfAbsent(GrpcTestServer.tenantOf(bearer), t -> new AtomicInteger()).incrementAndGet();
            if (HANG) {
                return; // never answers
            }
            if (!request.getModelName().equals(ManeuverClassifier.NAME) || request.getInputsCount() != 1) {
                out.onError(Status.NOT_FOUND.withDescription("no model " + request.getModelName()).asRuntimeException());
                return;
            }
            var input = request.getInputs(0);
            List<Float> values = input.getContents().getFp32ContentsList();
            long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            float[] data = new float[values.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = values.get(i);
            }
            try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(data), shape);
                    OrtSession.Result result = session.run(Map.of(ManeuverClassifier.INPUT, x))) {
                float[][] p = (float[][]) result.get(0).getValue();
                ByteBuffer raw = ByteBuffer.allocate(p.length * p[0].length * Float.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : p) {
                    for (float v : row) {
                        raw.putFloat(v);
                    }
                }
                out.onNext(ModelInferResponse.newBuilder().setModelName(ManeuverClassifier.NAME)
                        .setModelVersion(ManeuverClassifier.VERSION)
                        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                                .setName(ManeuverClassifier.OUTPUT).setDatatype("FP32").addShape(p.length)
                                .addShape(p[0].length))
                        .addRawOutputContents(ByteString.copyFrom(raw.flip())).build());
                out.onCompleted();
            } catch (OrtException e) {
                out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }
    }
}
