package io.defensebuilders.registry.api;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.registry.service.SdkCommands;
import io.defensebuilders.registry.service.VersionService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Versions of an SDK: publish (immutable from then on), read, yank and deprecate. */
@Path("/api/v1/sdks/{name}/versions")
@Authenticated
@Tag(name = "Versions")
public class VersionResource {

    private final VersionService versions;
    private final TenantContext tenant;

    public VersionResource(VersionService versions, TenantContext tenant) {
        this.versions = versions;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "List versions", description = "Newest first by SemVer precedence; yanked versions included and flagged. READMEs left out.")
    public Uni<List<Views.VersionView>> list(@PathParam("name") String name) {
        return versions.versions(tenant.caller(), name)
                .map(list -> list.stream().map(v -> Views.VersionView.of(name, v, false)).toList());
    }

    @POST
    @Operation(summary = "Publish a version", description = "SemVer 2.0. A version is immutable once published: publishing it again answers 409, even after it was yanked. Attach the artifact with PUT .../artifact.")
    @APIResponse(responseCode = "201", description = "Published")
    @APIResponse(responseCode = "409", description = "The version exists")
    public Uni<RestResponse<Views.VersionView>> publish(@PathParam("name") String name,
            @Valid @NotNull SdkCommands.NewVersion body) {
        return versions.publish(tenant.caller(), name, body)
                .map(v -> RestResponse.ResponseBuilder.<Views.VersionView> created(
                        URI.create("/api/v1/sdks/" + name + "/versions/" + v.version()))
                        .entity(Views.VersionView.of(name, v, true)).build());
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "Get a version by its exact version", description = "Yanked versions are still found this way.")
    public Uni<Views.VersionView> get(@PathParam("name") String name, @PathParam("version") String version) {
        return versions.version(tenant.caller(), name, version).map(v -> Views.VersionView.of(name, v, true));
    }

    @POST
    @Path("/{version}/yank")
    @Operation(summary = "Yank a version", description = "Ranges stop resolving to it; exact references and existing dist-tags still find it.")
    public Uni<Views.VersionView> yank(@PathParam("name") String name, @PathParam("version") String version,
            @Valid @NotNull SdkCommands.Yank body) {
        return versions.yank(tenant.caller(), name, version, body.reason()).map(v -> Views.VersionView.of(name, v, false));
    }

    @DELETE
    @Path("/{version}/yank")
    @Operation(summary = "Undo a yank")
    public Uni<Views.VersionView> unyank(@PathParam("name") String name, @PathParam("version") String version) {
        return versions.unyank(tenant.caller(), name, version).map(v -> Views.VersionView.of(name, v, false));
    }

    @POST
    @Path("/{version}/deprecate")
    @Operation(summary = "Deprecate a version with a message for its users")
    public Uni<Views.VersionView> deprecate(@PathParam("name") String name, @PathParam("version") String version,
            @Valid @NotNull SdkCommands.Deprecate body) {
        return versions.deprecate(tenant.caller(), name, version, body.message())
                .map(v -> Views.VersionView.of(name, v, false));
    }

    @DELETE
    @Path("/{version}/deprecate")
    @Operation(summary = "Remove a deprecation")
    public Uni<Views.VersionView> undeprecate(@PathParam("name") String name, @PathParam("version") String version) {
        return versions.undeprecate(tenant.caller(), name, version).map(v -> Views.VersionView.of(name, v, false));
    }
}
