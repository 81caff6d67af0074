package io.defensebuilders.inference.api;

import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.inference.runtime.Batching;
import io.defensebuilders.inference.runtime.ModelRuntime;
import io.defensebuilders.inference.service.ModelCatalog;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.Params;
import io.defensebuilders.platform.web.Uploads;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/** The model catalog: upload versions, see them, load and unload them, pick the default. */
@Path("/api/v1/inference/models")
@Authenticated
@Blocking
@Tag(name = "Models")
public class ModelResource {

    private final ModelCatalog catalog;
    private final ModelRuntime runtime;
    private final TenantContext tenant;

    public ModelResource(ModelCatalog catalog, ModelRuntime runtime, TenantContext tenant) {
        this.catalog = catalog;
        this.runtime = runtime;
        this.tenant = tenant;
    }

    @POST
    @Consumes("*/*")
    @Operation(summary = "Upload a model version", description = "The ONNX file as the raw body, streamed to storage "
            + "and hashed. ONNX Runtime reads it before it is catalogued: its inputs and outputs come from the model "
            + "itself. The first version of a model creates it (private unless visibility=public, which only platform "
            + "admins may set) and becomes its default. Versions are immutable, their batching too.")
    @APIResponse(responseCode = "201", description = "Catalogued and loaded on this replica")
    @APIResponse(responseCode = "400", description = "Not a model ONNX Runtime can load, or not the sha256 sent")
    @APIResponse(responseCode = "409", description = "The version exists")
    @APIResponse(responseCode = "413", description = "Larger than dbp.inference.models.max-bytes")
    public Response upload(@QueryParam("name") String name, @QueryParam("version") String version,
            @QueryParam("description") String description,
            @Parameter(description = "private (default) or public") @QueryParam("visibility") @DefaultValue("private") String visibility,
            @Parameter(description = "The file's SHA-256 in hex; the upload is refused when the bytes differ") @QueryParam("sha256") String sha256,
            @Parameter(description = "Most rows one batched run of this version takes, 1 to 1024 (1: no batching); "
                    + "default dbp.inference.runtime.batching.max-batch-size") @QueryParam("maxBatchSize") String maxBatchSize,
            @Parameter(description = "How long, in microseconds (0 to 1000000), the first call of a batch waits for "
                    + "others; default dbp.inference.runtime.batching.max-queue-delay") @QueryParam("maxQueueDelayMicros") String maxQueueDelayMicros,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body,
            @Context HttpServerRequest request) {
        ModelVersion v = Uploads.closingOnRefusal(request, () -> {
            if (!visibility.equals("private") && !visibility.equals("public")) {
                throw ProblemException.invalid("visibility", "private or public");
            }
            return catalog.upload(tenant.caller(), new ModelCatalog.Upload(name, version, description,
                    visibility.equals("public"), sha256,
                    new Batching(Params.integer("maxBatchSize", maxBatchSize, 1, Batching.MAX_BATCH_SIZE),
                            Params.integer("maxQueueDelayMicros", maxQueueDelayMicros, 0,
                                    Batching.MAX_QUEUE_DELAY_MICROS))),
                    body, contentLength == null ? -1 : contentLength);
        });
        return Response.status(201).entity(Views.VersionView.of(v, runtime)).build();
    }

    @GET
    @Operation(summary = "The models the caller sees", description = "Their tenant's and the public ones, by name.")
    public Views.ModelList list() {
        return new Views.ModelList(catalog.list(tenant.caller()).stream().map(e -> Views.of(e, runtime)).toList());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "A model with its versions and their state on the replica that answers")
    @APIResponse(responseCode = "404", description = "No such model the caller sees")
    public Views.ModelView get(@PathParam("name") String name) {
        return Views.of(catalog.get(tenant.caller(), name), runtime);
    }

    @POST
    @Path("/{name}/versions/{version}/load")
    @Operation(summary = "Hold a version in memory on every replica", description = "This replica loads it at once, "
            + "the others within dbp.inference.sync.every.")
    public Views.VersionView load(@PathParam("name") String name, @PathParam("version") String version) {
        var v = catalog.setLoaded(tenant.caller(), name, version, true);
        return Views.VersionView.of(v, runtime);
    }

    @POST
    @Path("/{name}/versions/{version}/unload")
    @Operation(summary = "Drop a version from memory on every replica", description = "Calls to it answer 409 until it "
            + "is loaded again.")
    public Views.VersionView unload(@PathParam("name") String name, @PathParam("version") String version) {
        var v = catalog.setLoaded(tenant.caller(), name, version, false);
        return Views.VersionView.of(v, runtime);
    }

    @PUT
    @Path("/{name}/default-version/{version}")
    @Operation(summary = "Make a version the one calls without a version reach")
    public Views.ModelView setDefault(@PathParam("name") String name, @PathParam("version") String version) {
        return Views.of(catalog.setDefault(tenant.caller(), name, version), runtime);
    }
}
