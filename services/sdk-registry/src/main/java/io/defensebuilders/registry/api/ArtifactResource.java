package io.defensebuilders.registry.api;

import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.web.Uploads;
import io.defensebuilders.registry.service.ArtifactService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * The artifact of a version: uploaded once as a raw body, downloaded with its integrity in RFC 9530
 * {@code Repr-Digest} and verified while it streams.
 */
@Path("/api/v1/sdks/{name}/versions/{version}/artifact")
@Authenticated
@Blocking
@Tag(name = "Artifacts")
public class ArtifactResource {

    private final ArtifactService artifacts;
    private final TenantContext tenant;

    public ArtifactResource(ArtifactService artifacts, TenantContext tenant) {
        this.artifacts = artifacts;
        this.tenant = tenant;
    }

    @PUT
    @Consumes("*/*")
    @Operation(summary = "Upload the version's artifact", description = "The raw bytes as the body, streamed to storage. "
            + "Once per version. Send Repr-Digest: sha-512=:<base64>: to have the registry verify what arrived.")
    @APIResponse(responseCode = "200", description = "Stored; the version with its artifact's integrity")
    @APIResponse(responseCode = "409", description = "The version already has an artifact")
    @APIResponse(responseCode = "413", description = "Larger than the configured limit")
    @APIResponse(responseCode = "415", description = "Not an accepted artifact content type")
    public Views.VersionView upload(@PathParam("name") String name, @PathParam("version") String version,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam("Repr-Digest") String reprDigest,
            @Parameter(description = "File name offered on download") @QueryParam("filename") String filename,
            InputStream body, @Context HttpServerRequest request) {
        var v = Uploads.closingOnRefusal(request, () -> artifacts.upload(tenant.caller(), name, version, body,
                contentLength == null ? -1 : contentLength, contentType, safeFilename(filename), reprDigest));
        return Views.VersionView.of(name, v, false);
    }

    @GET
    @Operation(summary = "Download the version's artifact", description = "Carries Repr-Digest (sha-512) and an SRI ETag. "
            + "The registry checks the bytes against their stored sha512 while sending and aborts the transfer on a mismatch.")
    @APIResponse(responseCode = "200", description = "The artifact")
    public Response download(@PathParam("name") String name, @PathParam("version") String version) {
        Caller caller = tenant.caller();
        ArtifactService.Download d = artifacts.prepare(caller, name, version);
        StreamingOutput body = out -> {
            artifacts.stream(d, out);
            artifacts.record(caller, d);
        };
        return Response.ok(body, d.artifact().mediaType())
                .header(HttpHeaders.CONTENT_LENGTH, d.artifact().size())
                .header("Repr-Digest", ArtifactService.reprDigest(d.artifact().integrity()))
                .header(HttpHeaders.ETAG, "\"" + d.artifact().integrity() + "\"")
                .header("Content-Disposition", "attachment; filename=\"" + d.artifact().filename() + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable")
                .build();
    }

    private static String safeFilename(String filename) {
        if (filename == null || filename.isBlank()) {
            return null;
        }
        if (!filename.matches("[A-Za-z0-9._+-]{1,200}")) {
            throw io.defensebuilders.platform.problem.ProblemException.invalid("filename",
                    "letters, digits, '.', '_', '+' and '-' only, at most 200");
        }
        return filename;
    }
}
