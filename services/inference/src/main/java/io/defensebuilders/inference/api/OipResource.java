package io.defensebuilders.inference.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.inference.runtime.Datatype;
import io.defensebuilders.inference.runtime.ModelRuntime;
import io.defensebuilders.inference.runtime.TensorSpec;
import io.defensebuilders.inference.runtime.Tensors;
import io.defensebuilders.inference.service.CatalogSync;
import io.defensebuilders.inference.service.Inferences;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/**
 * The Open Inference Protocol v2 over REST, as KServe, Triton and Seldon clients speak it: health, server and model
 * metadata, readiness, and {@code infer} with JSON tensors. Errors are the protocol's {@code {"error": "..."}} with
 * the status a problem+json would carry; readiness is the status code (200 ready, 400 not).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Open Inference Protocol v2")
public class OipResource {

    private final Inferences inferences;
    private final CatalogSync sync;
    private final TenantContext tenant;
    private final ObjectMapper json;
    private final InferenceConfig config;

    public OipResource(Inferences inferences, CatalogSync sync, TenantContext tenant,
            ObjectMapper json, InferenceConfig config) {
        this.config = config;
        this.inferences = inferences;
        this.sync = sync;
        this.tenant = tenant;
        this.json = json;
    }

    @GET
    @PermitAll
    @Operation(summary = "Server metadata")
    public ObjectNode server() {
        ObjectNode out = json.createObjectNode().put("name", Inferences.SERVER)
                .put("version", Inferences.serverVersion());
        out.putArray("extensions");
        return out;
    }

    @GET
    @Path("/health/live")
    @PermitAll
    @Operation(summary = "Server live: 200")
    public Response live() {
        return Response.ok().build();
    }

    @GET
    @Path("/health/ready")
    @PermitAll
    @Operation(summary = "Server ready: 200 once this replica has loaded the catalog, 400 before")
    public Response ready() {
        return sync.synced() ? Response.ok().build() : error(400, "the model catalog is not loaded yet");
    }

    @GET
    @Path("/models/{model}")
    @Authenticated
    @Operation(summary = "Model metadata (its default version)")
    public Response model(@PathParam("model") String model) {
        return answer(() -> metadata(inferences.metadata(tenant.caller(), model, null)));
    }

    @GET
    @Path("/models/{model}/versions/{version}")
    @Authenticated
    @Operation(summary = "Model version metadata")
    public Response modelVersion(@PathParam("model") String model, @PathParam("version") String version) {
        return answer(() -> metadata(inferences.metadata(tenant.caller(), model, version)));
    }

    @GET
    @Path("/models/{model}/ready")
    @Authenticated
    @Operation(summary = "Model ready (its default version): 200 ready, 400 not")
    public Response modelReady(@PathParam("model") String model) {
        return answer(() -> readiness(model, null));
    }

    @GET
    @Path("/models/{model}/versions/{version}/ready")
    @Authenticated
    @Operation(summary = "Model version ready: 200 ready, 400 not")
    public Response versionReady(@PathParam("model") String model, @PathParam("version") String version) {
        return answer(() -> readiness(model, version));
    }

    @POST
    @Path("/models/{model}/infer")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Inference on the model's default version")
    public Response infer(@PathParam("model") String model, InputStream body) {
        return answer(() -> Response.ok(infer(model, null, read(body))).build());
    }

    @POST
    @Path("/models/{model}/versions/{version}/infer")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Inference on a model version")
    public Response inferVersion(@PathParam("model") String model, @PathParam("version") String version,
            InputStream body) {
        return answer(() -> Response.ok(infer(model, version, read(body))).build());
    }

    /**
     * The request body, at most {@code dbp.inference.max-request-bytes}: a JSON tensor is held whole while it is
     * parsed, so its size is bounded well below the upload limit the HTTP layer allows for model files (413).
     */
    private byte[] read(InputStream body) {
        int max = config.maxRequestBytes();
        try {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "an inference request is at most " + max
                        + " bytes of JSON; send large tensors over gRPC in raw_input_contents");
            }
            return bytes;
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    private Response readiness(String model, String version) {
        ModelRuntime.Status status = inferences.readiness(tenant.caller(), model, version);
        if (status != null && status.state() == ModelRuntime.State.READY) {
            return Response.ok().build();
        }
        return error(400, status == null ? "the model version is unloaded"
                : "the model version failed to load: "
                        + status.reason());
    }

    private Response metadata(Inferences.Metadata m) {
        ObjectNode out = json.createObjectNode().put("name", m.name());
        ArrayNode versions = out.putArray("versions");
        m.versions().forEach(versions::add);
        out.put("platform", Inferences.PLATFORM);
        tensors(out.putArray("inputs"), m.signature().inputs());
        tensors(out.putArray("outputs"), m.signature().outputs());
        return Response.ok(out).build();
    }

    private static void tensors(ArrayNode into, List<TensorSpec> specs) {
        for (TensorSpec t : specs) {
            ObjectNode n = into.addObject().put("name", t.name()).put("datatype", t.datatype().name());
            ArrayNode shape = n.putArray("shape");
            t.shape().forEach(shape::add);
        }
    }

    private ObjectNode infer(String model, String version, byte[] body) {
        Inferences.Response<ArrayNode> r = inferences.infer(tenant.caller(), tenant.token(), model, version, request(body),
                Tensors::data);
        ObjectNode out = json.createObjectNode().put("model_name", r.modelName()).put("model_version", r.modelVersion());
        if (r.id() != null) {
            out.put("id", r.id());
        }
        ArrayNode outputs = out.putArray("outputs");
        for (Inferences.Output<ArrayNode> o : r.outputs()) {
            ObjectNode t = outputs.addObject().put("name", o.name()).put("datatype", o.datatype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : o.shape()) {
                shape.add(d);
            }
            t.set("data", o.data());
        }
        return out;
    }

    /** The protocol's inference request, read strictly: every malformed part is a 400 naming it. */
    private Inferences.Request request(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // where, not the parser's own words (they name its internals)
            var at = e.getLocation();
            throw ProblemException.badRequest("the body is not JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("the body is a JSON object with \"inputs\"");
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isTextual()) {
            throw ProblemException.badRequest("\"id\" is a string");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ProblemException.badRequest("\"inputs\" is a non-empty array of tensors");
        }
        List<Inferences.Input> in = new ArrayList<>();
        for (JsonNode t : inputs) {
            String name = text(t, "name", "an input");
            String dt = text(t, "datatype", "input '" + name + "'");
            Datatype datatype = Datatype.parse(dt).orElseThrow(() -> ProblemException.badRequest(
                    "input '" + name + "' has datatype '" + dt + "', which the protocol does not define"));
            JsonNode shape = t.get("shape");
            if (shape == null || !shape.isArray()) {
                throw ProblemException.badRequest("input '" + name + "' has no \"shape\" array");
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                JsonNode d = shape.get(i);
                if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0) {
                    throw ProblemException.badRequest("input '" + name + "' has a shape of non-negative integers, "
                            + "not " + shape);
                }
                dims[i] = d.longValue();
            }
            if (t.has("parameters") && t.get("parameters").has("binary_data_size")) {
                throw ProblemException.badRequest("input '" + name + "': binary tensor data is not supported over "
                        + "REST; send \"data\" as JSON, or use gRPC raw_input_contents");
            }
            in.add(new Inferences.Input(name, datatype, dims, new Tensors.Json(t.get("data"))));
        }
        List<String> outputs = new ArrayList<>();
        JsonNode wanted = root.get("outputs");
        if (wanted != null) {
            if (!wanted.isArray()) {
                throw ProblemException.badRequest("\"outputs\" is an array of {\"name\": ...}");
            }
            for (JsonNode o : wanted) {
                outputs.add(text(o, "name", "a requested output"));
            }
        }
        return new Inferences.Request(id == null ? null : id.textValue(), in, outputs);
    }

    private static String text(JsonNode node, String field, String what) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw ProblemException.badRequest(what + " has no \"" + field + "\" string");
        }
        return v.textValue();
    }

    /** Runs a call, answering a refusal the protocol's way. */
    private Response answer(Supplier<Response> call) {
        try {
            return call.get();
        } catch (ProblemException e) {
            // a refusal worth retrying (the database hangs, a rate) says when, as the platform's problem answers do
            return error(e.status(), e.getMessage(), e.toProblem().retryAfter());
        }
    }

    private Response error(int status, String message) {
        return error(status, message, null);
    }

    private Response error(int status, String message, String retryAfter) {
        Response.ResponseBuilder out = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(json.createObjectNode().put("error", message));
        return (retryAfter == null ? out : out.header(HttpHeaders.RETRY_AFTER, retryAfter)).build();
    }
}
