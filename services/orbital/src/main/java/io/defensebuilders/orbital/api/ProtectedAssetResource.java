package io.defensebuilders.orbital.api;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.orbital.service.Inputs;
import io.defensebuilders.orbital.service.ProtectedAssetService;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** A tenant's protected assets: screened on a schedule against the whole catalog. */
@Path("/api/v1/orbital/protected-assets")
@Authenticated
@Tag(name = "Screenings")
public class ProtectedAssetResource {

    @Schema(name = "ProtectedAsset")
    public record AssetView(int noradId, String name, String addedBy, Instant addedAt) {
    }

    @Schema(name = "ProtectedAssetList")
    public record AssetList(List<AssetView> items) {
    }

    private final ProtectedAssetService assets;
    private final TenantContext tenant;

    public ProtectedAssetResource(ProtectedAssetService assets, TenantContext tenant) {
        this.assets = assets;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "This tenant's protected assets (builder role)")
    public Uni<AssetList> list() {
        return assets.list(tenant.caller()).map(l -> new AssetList(
                l.stream().map(a -> new AssetView(a.noradId(), a.name(), a.addedBy(), a.addedAt())).toList()));
    }

    @PUT
    @Path("/{noradId}")
    @Operation(summary = "Protect a catalog object (builder role)", description = "201 when added, 204 when it was "
            + "already protected; 404 when the object is not in the caller's view of the catalog.")
    public Uni<Response> put(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradId) {
        return assets.protect(tenant.caller(), Inputs.noradId("noradId", noradId))
                .map(added -> added ? Response.status(201).build() : Response.noContent().build());
    }

    @DELETE
    @Path("/{noradId}")
    @Operation(summary = "Stop protecting an object (builder role)")
    public Uni<Response> delete(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradId) {
        return assets.unprotect(tenant.caller(), Inputs.noradId("noradId", noradId)).map(x -> Response.noContent().build());
    }
}
