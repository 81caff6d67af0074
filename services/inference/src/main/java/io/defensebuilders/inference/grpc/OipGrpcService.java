package io.defensebuilders.inference.grpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.google.protobuf.ByteString;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceService;
import io.defensebuilders.contracts.inference.v2.InferTensorContents;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.contracts.inference.v2.ModelMetadataRequest;
import io.defensebuilders.contracts.inference.v2.ModelMetadataResponse;
import io.defensebuilders.contracts.inference.v2.ModelReadyRequest;
import io.defensebuilders.contracts.inference.v2.ModelReadyResponse;
import io.defensebuilders.contracts.inference.v2.ServerLiveRequest;
import io.defensebuilders.contracts.inference.v2.ServerLiveResponse;
import io.defensebuilders.contracts.inference.v2.ServerMetadataRequest;
import io.defensebuilders.contracts.inference.v2.ServerMetadataResponse;
import io.defensebuilders.contracts.inference.v2.ServerReadyRequest;
import io.defensebuilders.contracts.inference.v2.ServerReadyResponse;
import io.defensebuilders.inference.runtime.Datatype;
import io.defensebuilders.inference.runtime.ModelRuntime;
import io.defensebuilders.inference.runtime.TensorSpec;
import io.defensebuilders.inference.runtime.Tensors;
import io.defensebuilders.inference.service.CatalogSync;
import io.defensebuilders.inference.service.Inferences;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.grpc.GrpcProblems;
import io.defensebuilders.platform.problem.ProblemException;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}, KServe's proto): the same calls as
 * REST, tensors in their typed {@code contents} or in {@code raw_input_contents}; outputs always raw (as Triton answers).
 * Refusals carry the gRPC code of their HTTP status (INVALID_ARGUMENT naming the tensor, NOT_FOUND, UNAVAILABLE,
 * RESOURCE_EXHAUSTED), an unloaded version FAILED_PRECONDITION.
 */
@GrpcService
public class OipGrpcService implements GRPCInferenceService {

    private final Inferences inferences;
    private final CatalogSync sync;
    private final TenantContext tenant;

    public OipGrpcService(Inferences inferences, CatalogSync sync, TenantContext tenant) {
        this.inferences = inferences;
        this.sync = sync;
        this.tenant = tenant;
    }

    @Override
    public Uni<ServerLiveResponse> serverLive(ServerLiveRequest request) {
        return Uni.createFrom().item(ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public Uni<ServerReadyResponse> serverReady(ServerReadyRequest request) {
        return Uni.createFrom().item(ServerReadyResponse.newBuilder().setReady(sync.synced()).build());
    }

    @Override
    public Uni<ServerMetadataResponse> serverMetadata(ServerMetadataRequest request) {
        return Uni.createFrom().item(ServerMetadataResponse.newBuilder().setName(Inferences.SERVER)
                .setVersion(Inferences.serverVersion()).build());
    }

    @Override
    public Uni<ModelReadyResponse> modelReady(ModelReadyRequest request) {
        return blocking(caller -> {
            ModelRuntime.Status status = inferences.readiness(caller, request.getName(), version(request.getVersion()));
            return ModelReadyResponse.newBuilder()
                    .setReady(status != null && status.state() == ModelRuntime.State.READY).build();
        });
    }

    @Override
    public Uni<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request) {
        return blocking(caller -> {
            Inferences.Metadata m = inferences.metadata(caller, request.getName(), version(request.getVersion()));
            ModelMetadataResponse.Builder out = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addAllVersions(m.versions()).setPlatform(Inferences.PLATFORM);
            m.signature().inputs().forEach(t -> out.addInputs(metadata(t)));
            m.signature().outputs().forEach(t -> out.addOutputs(metadata(t)));
            return out.build();
        });
    }

    @Override
    public Uni<ModelInferResponse> modelInfer(ModelInferRequest request) {
        return blocking((caller, token) -> {
            Inferences.Response<byte[]> r = inferences.infer(caller, token, request.getModelName(),
                    version(request.getModelVersion()), request(request), Tensors::raw);
            ModelInferResponse.Builder out = ModelInferResponse.newBuilder().setModelName(r.modelName())
                    .setModelVersion(r.modelVersion());
            if (r.id() != null) {
                out.setId(r.id());
            }
            for (Inferences.Output<byte[]> o : r.outputs()) {
                var t = out.addOutputsBuilder().setName(o.name()).setDatatype(o.datatype().name());
                for (long d : o.shape()) {
                    t.addShape(d);
                }
                out.addRawOutputContents(ByteString.copyFrom(o.data()));
            }
            return out.build();
        });
    }

    /** Runs {@code call} on a worker thread as the caller of the request's token, answering refusals as gRPC codes. */
    private <T> Uni<T> blocking(Function<Caller, T> call) {
        return blocking((caller, token) -> call.apply(caller));
    }

    /** As {@link #blocking(Function)}, also handing on the caller's internal JWT. */
    private <T> Uni<T> blocking(BiFunction<Caller, String, T> call) {
        return tenant.deferredIdentity().emitOn(Infrastructure.getDefaultWorkerPool())
                .map(identity -> call.apply(TenantContext.callerOf(identity), TenantContext.tokenOf(identity)))
                .onFailure(ProblemException.class).transform(e -> ((ProblemException) e).status() == 409
                        ? Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException()
                        : e)
                .plug(GrpcProblems::answer);
    }

    private static String version(String version) {
        return version == null || version.isEmpty() ? null : version;
    }

    private static ModelMetadataResponse.TensorMetadata metadata(TensorSpec t) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name()).setDatatype(t.datatype().name())
                .addAllShape(t.shape()).build();
    }

    private static Inferences.Request request(ModelInferRequest request) {
        if (request.getInputsCount() == 0) {
            throw ProblemException.badRequest("inputs is empty");
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw ProblemException.badRequest("raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for " + request.getInputsCount() + " inputs; one per input, in their order");
        }
        List<Inferences.Input> inputs = new ArrayList<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            var t = request.getInputs(i);
            String name = t.getName();
            if (name.isEmpty()) {
                throw ProblemException.badRequest("input " + i + " has no name");
            }
            Datatype datatype = Datatype.parse(t.getDatatype()).orElseThrow(() -> ProblemException.badRequest(
                    "input '" + name + "' has datatype '" + t.getDatatype() + "', which the protocol does not define"));
            long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
            for (long d : shape) {
                if (d < 0) {
                    throw ProblemException.badRequest("input '" + name + "' has a negative dimension in "
                            + t.getShapeList());
                }
            }
            Tensors.Data data;
            if (raw) {
                if (t.hasContents()) {
                    throw ProblemException.badRequest("input '" + name + "' has contents while raw_input_contents is "
                            + "used; one or the other");
                }
                data = new Tensors.Raw(request.getRawInputContents(i).asReadOnlyByteBuffer());
            } else {
                data = new Tensors.Raw(raw(name, datatype, shape, t.getContents()));
            }
            inputs.add(new Inferences.Input(name, datatype, shape, data));
        }
        List<String> outputs = request.getOutputsList().stream().map(o -> o.getName()).toList();
        return new Inferences.Request(request.getId().isEmpty() ? null : request.getId(), inputs, outputs);
    }

    /** Typed contents in the raw layout, each element checked against its datatype's range. */
    private static ByteBuffer raw(String name, Datatype datatype, long[] shape, InferTensorContents c) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        int given = switch (datatype) {
            case BOOL -> c.getBoolContentsCount();
            case INT8, INT16, INT32 -> c.getIntContentsCount();
            case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
            case INT64 -> c.getInt64ContentsCount();
            case UINT64 -> c.getUint64ContentsCount();
            case FP32 -> c.getFp32ContentsCount();
            case FP64 -> c.getFp64ContentsCount();
            case BYTES -> c.getBytesContentsCount();
            case FP16, BF16 -> 0;
        };
        if (given != count && datatype != Datatype.FP16 && datatype != Datatype.BF16) {
            throw ProblemException.badRequest("input '" + name + "' has " + given + " elements in its " + datatype
                    + " contents; its shape " + java.util.Arrays.toString(shape) + " holds " + count);
        }
        ByteBuffer out;
        switch (datatype) {
            case BOOL -> {
                out = le(c.getBoolContentsCount());
                c.getBoolContentsList().forEach(b -> out.put((byte) (b ? 1 : 0)));
            }
            case INT8, INT16, INT32 -> {
                int size = datatype == Datatype.INT8 ? 1 : datatype == Datatype.INT16 ? 2 : 4;
                long min = datatype == Datatype.INT8 ? Byte.MIN_VALUE
                        : datatype == Datatype.INT16 ? Short.MIN_VALUE
                                : Integer.MIN_VALUE;
                long max = datatype == Datatype.INT8 ? Byte.MAX_VALUE
                        : datatype == Datatype.INT16 ? Short.MAX_VALUE
                                : Integer.MAX_VALUE;
                out = le(c.getIntContentsCount() * size);
                for (int v : c.getIntContentsList()) {
                    if (v < min || v > max) {
                        throw ProblemException.badRequest("input '" + name + "' holds " + v + " where an integer from "
                                + min + " to " + max + " belongs");
                    }
                    switch (size) {
                        case 1 -> out.put((byte) v);
                        case 2 -> out.putShort((short) v);
                        default -> out.putInt(v);
                    }
                }
            }
            case UINT8 -> {
                out = le(c.getUintContentsCount());
                for (int v : c.getUintContentsList()) {
                    if (Integer.compareUnsigned(v, 255) > 0) {
                        throw ProblemException.badRequest("input '" + name + "' holds " + Integer.toUnsignedString(v)
                                + " where an integer from 0 to 255 belongs");
                    }
                    out.put((byte) v);
                }
            }
            case INT64 -> {
                out = le(c.getInt64ContentsCount() * 8);
                c.getInt64ContentsList().forEach(out::putLong);
            }
            case FP32 -> {
                out = le(c.getFp32ContentsCount() * 4);
                c.getFp32ContentsList().forEach(out::putFloat);
            }
            case FP64 -> {
                out = le(c.getFp64ContentsCount() * 8);
                c.getFp64ContentsList().forEach(out::putDouble);
            }
            case BYTES -> {
                int total = c.getBytesContentsList().stream().mapToInt(b -> 4 + b.size()).sum();
                out = le(total);
                c.getBytesContentsList().forEach(b -> out.putInt(b.size()).put(b.asReadOnlyByteBuffer()));
            }
            case FP16 -> throw ProblemException.badRequest("input '" + name + "' is FP16, which travels in "
                    + "raw_input_contents only");
            default -> throw ProblemException.badRequest("input '" + name + "' is " + datatype
                    + ", which ONNX Runtime's Java API cannot take");
        }
        return out.flip();
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
