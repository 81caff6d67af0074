package io.defensebuilders.orbital.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.orbital.service.CatalogService;
import io.defensebuilders.orbital.service.Inputs;
import io.defensebuilders.orbital.service.ManeuverService;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Catalog objects: listing, one object with its current element set, its element-set history, its description. */
@Path("/api/v1/orbital/objects")
@Authenticated
@Tag(name = "Catalog")
public class ObjectResource {

    private final CatalogService catalog;
    private final ManeuverService maneuvers;
    private final TenantContext tenant;

    public ObjectResource(CatalogService catalog, ManeuverService maneuvers, TenantContext tenant) {
        this.catalog = catalog;
        this.maneuvers = maneuvers;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "List catalog objects", description = "In NORAD id order, each with its current element set. "
            + "The caller's view: the shared catalog and the caller's own overlay (objects only another tenant's "
            + "overlay holds are absent). Keyset pagination: pass nextCursor back as cursor.")
    public Uni<Views.ObjectPage> list(
            @Parameter(description = "PAYLOAD, ROCKET_BODY, DEBRIS or UNKNOWN") @QueryParam("objectType") String objectType,
            @Parameter(description = "Text in the name or international designator") @QueryParam("q") String q,
            @Parameter(description = "Page size, 1 to dbp.orbital.catalog.max-limit (1000)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        var caller = tenant.caller();
        return catalog.list(caller.tenant(), objectType, q, limit, cursor).map(page -> new Views.ObjectPage(
                page.items().stream().map(o -> Views.ObjectView.of(o, caller)).toList(), page.nextCursor()));
    }

    @GET
    @Path("/{noradId}")
    @Operation(summary = "Get a catalog object and its current element set", description = "The current element set "
            + "is the newest standing one among the shared catalog's and the caller's own. 404 when the caller's "
            + "view does not hold the object.")
    public Uni<Views.ObjectView> get(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradId) {
        var caller = tenant.caller();
        return catalog.get(caller.tenant(), Inputs.noradId("noradId", noradId)).map(o -> Views.ObjectView.of(o, caller));
    }

    @PATCH
    @Path("/{noradId}")
    @Operation(summary = "Describe a catalog object (name, object type, owner)", description = "An object of the shared "
            + "catalog needs the platform-admin role (403 otherwise: its description is everyone's); an object only "
            + "the caller's overlay holds needs the publisher role and is described for the caller's tenant alone. "
            + "Absent fields keep their value. Later ingests with newer element sets may update the name and, when "
            + "they state one (OMM OBJECT_TYPE), the object type.")
    @APIResponse(responseCode = "403", description = "Not a publisher, or a shared object and not a platform admin")
    public Uni<Views.ObjectView> describe(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradId,
            @Valid @NotNull OrbitalRequests.ObjectChanges body) {
        var caller = tenant.caller();
        return catalog.describe(caller, Inputs.noradId("noradId", noradId), body.name(), body.objectType(), body.owner())
                .map(o -> Views.ObjectView.of(o, caller));
    }

    @GET
    @Path("/{noradId}/element-sets")
    @Operation(summary = "An object's element-set history, in epoch order", description = "Every element set ever "
            + "of the caller's view (the shared catalog's and its own overlay's; withdrawn ones flagged) for the object, oldest first (order=desc: newest first), epochs in [from, to). Keyset "
            + "pagination: pass nextCursor back as cursor with the same order.")
    public Uni<Views.ElementSetPage> history(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradId,
            @Parameter(description = "Earliest epoch, inclusive (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "Latest epoch, exclusive (ISO-8601)") @QueryParam("to") String to,
            @Parameter(description = "asc (default) or desc") @QueryParam("order") String order,
            @Parameter(description = "Page size, 1 to 1000") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        var caller = tenant.caller();
        return catalog.history(caller.tenant(), Inputs.noradId("noradId", noradId), from, to, order, limit, cursor)
                .map(page -> new Views.ElementSetPage(
                        page.items().stream().map(r -> Views.ElementSetView.of(r, caller)).toList(), page.nextCursor()));
    }

    @GET
    @Path("/{noradId}/maneuvers")
    @Operation(summary = "An object's maneuvers, newest first", description = "Maneuvers found by comparing consecutive "
            + "element sets of the object (see the orbital README for the method and thresholds). Keyset pagination.")
    public Uni<Views.ManeuverPage> maneuvers(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradText,
            @Parameter(description = "Earliest epoch, inclusive (ISO-8601)") @QueryParam("since") String since,
            @Parameter(description = "Page size, 1 to 1000") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        var caller = tenant.caller();
        int noradId = Inputs.noradId("noradId", noradText);
        return maneuvers.list(caller.tenant(), noradId, since, limit, cursor).chain(page -> {
            Views.ManeuverPage view = new Views.ManeuverPage(page.items().stream().map(Views.ManeuverView::of).toList(),
                    page.nextCursor());
            // an empty first page: an unknown object is a 404, a known one just has no maneuvers
            return page.items().isEmpty() && (cursor == null || cursor.isBlank())
                    ? catalog.get(caller.tenant(), noradId).replaceWith(view)
                    : Uni.createFrom().item(view);
        });
    }
}
