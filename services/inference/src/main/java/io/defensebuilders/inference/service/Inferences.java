package io.defensebuilders.inference.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.inference.runtime.Datatype;
import io.defensebuilders.inference.runtime.ModelRuntime;
import io.defensebuilders.inference.runtime.Signature;
import io.defensebuilders.inference.runtime.TensorSpec;
import io.defensebuilders.inference.runtime.Tensors;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;

/** One inference call: the model version resolved for the caller, inputs checked against it, run, outputs read. */
@ApplicationScoped
public class Inferences {

    /** An input tensor as the caller sent it. */
    public record Input(String name, Datatype datatype, long[] shape, Tensors.Data data) {
    }

    /** A call: its id (echoed), inputs, and the outputs wanted (empty: all). */
    public record Request(String id, List<Input> inputs, List<String> outputs) {
    }

    /** An output tensor, its data in the form the caller's protocol asked for (JSON, raw bytes). */
    public record Output<T>(String name, Datatype datatype, long[] shape, T data) {
    }

    /** A call's answer. */
    public record Response<T>(String modelName, String modelVersion, String id, List<Output<T>> outputs) {
    }

    /** Reads an output tensor's elements into a protocol's form while the tensor is open. */
    @FunctionalInterface
    public interface Encoding<T> {
        T encode(OnnxTensor tensor, Datatype datatype) throws OrtException;
    }

    private final ModelCatalog catalog;
    private final ModelRuntime runtime;
    private final InferenceUsage usage;
    private final CallAllowance allowance;

    public Inferences(ModelCatalog catalog, ModelRuntime runtime, InferenceUsage usage, CallAllowance allowance) {
        this.catalog = catalog;
        this.runtime = runtime;
        this.usage = usage;
        this.allowance = allowance;
    }

    /** The server's name in the protocol's server metadata. */
    public static final String SERVER = "defense-builders-inference";
    /** The protocol's name for an ONNX Runtime model's platform, as Triton reports it. */
    public static final String PLATFORM = "onnxruntime_onnx";

    /** A model's metadata: its versions (all, or the one asked for) and what the chosen version declares. */
    public record Metadata(String name, List<String> versions, Signature signature) {
    }

    /** This build's version, for the protocol's server metadata. */
    public static String serverVersion() {
        String version = Inferences.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The metadata of a model the caller sees: of {@code version}, or of the default version with every version. */
    public Metadata metadata(Caller caller, String model, String version) {
        ModelCatalog.Entry entry = catalog.get(caller, model);
        String wanted = version == null ? entry.model().defaultVersion() : version;
        ModelVersion v = entry.versions().stream().filter(x -> x.version().equals(wanted)).findFirst().orElseThrow(
                () -> ProblemException.notFound("model '" + model + "' has no version '" + wanted + "'"));
        List<String> versions = version == null ? entry.versions().stream().map(ModelVersion::version).toList()
                : List.of(v.version());
        return new Metadata(v.name(), versions, v.signature());
    }

    /** Whether a version the caller sees is ready on this replica (loading it first if it should be held). */
    public ModelRuntime.Status readiness(Caller caller, String model, String version) {
        return catalog.ensureLoaded(catalog.resolve(caller, model, version));
    }

    /**
     * Runs a call; {@code encoding} reads each output (e.g. {@code Tensors::data} for JSON, {@code Tensors::raw}).
     * A well-formed call counts against the caller's plan ({@code token}: the caller's internal JWT, which billing
     * is asked with), a refused one does not.
     */
    public <T> Response<T> infer(Caller caller, String token, String model, String version, Request request,
            Encoding<T> encoding) {
        ModelVersion v = catalog.resolve(caller, model, version);
        if (!v.loaded()) {
            throw ProblemException.conflict("version '" + v.version() + "' of model '" + model
                    + "' is unloaded; load it first");
        }
        ModelRuntime.Status status = catalog.ensureLoaded(v);
        if (status == null || status.state() != ModelRuntime.State.READY) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "version '" + v.version() + "' of model '" + model
                    + "' is not ready" + (status == null ? "" : ": " + status.reason()));
        }
        Signature signature = v.signature();
        for (String wanted : request.outputs()) {
            if (signature.output(wanted).isEmpty()) {
                throw ProblemException.badRequest("the model has no output '" + wanted + "'; it has "
                        + signature.outputs().stream().map(TensorSpec::name).toList());
            }
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            Set<String> seen = new HashSet<>();
            for (Input input : request.inputs()) {
                if (!seen.add(input.name())) {
                    throw ProblemException.badRequest("input '" + input.name() + "' is given twice");
                }
                TensorSpec spec = signature.input(input.name()).orElseThrow(() -> ProblemException.badRequest(
                        "the model has no input '" + input.name() + "'; it takes "
                                + signature.inputs().stream().map(TensorSpec::name).toList()));
                tensors.put(input.name(), Tensors.input(runtime.environment(), spec, input.datatype(), input.shape(),
                        input.data()));
            }
            for (TensorSpec spec : signature.inputs()) {
                if (!seen.contains(spec.name())) {
                    throw ProblemException.badRequest("input '" + spec.name() + "' is missing");
                }
            }
            allowance.take(caller, token);
            boolean answered = false;
            try {
                List<Output<T>> outputs = runtime.run(v.id(), tensors, request.outputs(), results -> {
                    List<Output<T>> out = new ArrayList<>();
                    for (ModelRuntime.Output o : results) {
                        out.add(new Output<>(o.name(), o.datatype(), o.shape(),
                                encoding.encode(o.tensor(), o.datatype())));
                    }
                    return out;
                });
                long elements = 0;
                for (OnnxTensor t : tensors.values()) {
                    elements += t.getInfo().getNumElements();
                }
                usage.record(caller, v, elements, java.time.Instant.now());
                answered = true;
                return new Response<>(v.name(), v.version(), request.id(), outputs);
            } finally {
                if (!answered) {
                    allowance.giveBack(caller);
                }
            }
        } catch (OrtException e) {
            throw ProblemException.badRequest("ONNX Runtime refused an input: " + e.getMessage());
        } catch (ArithmeticException e) {
            throw ProblemException.badRequest("an input's shape holds more elements than a tensor can");
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }
}
