package io.defensebuilders.orbital.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.orbital.service.ManeuverService;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Maneuvers across the catalog (reference data, like the catalog itself). */
@Path("/api/v1/orbital/maneuvers")
@Authenticated
@Tag(name = "Maneuvers")
public class ManeuverResource {

    private final ManeuverService maneuvers;
    private final TenantContext tenant;

    public ManeuverResource(ManeuverService maneuvers, TenantContext tenant) {
        this.maneuvers = maneuvers;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "Maneuvers of every object, newest epoch first", description = "The shared catalog's and "
            + "the caller's own (from pairs with element sets of its overlay). Found as element sets arrive, "
            + "by comparing each with its neighbours in its object's history. Keyset pagination: pass nextCursor back as "
            + "cursor.")
    public Uni<Views.ManeuverPage> list(
            @Parameter(description = "Earliest epoch, inclusive (ISO-8601)") @QueryParam("since") String since,
            @Parameter(description = "Page size, 1 to 1000") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return maneuvers.list(tenant.caller().tenant(), null, since, limit, cursor).map(page -> new Views.ManeuverPage(
                page.items().stream().map(Views.ManeuverView::of).toList(), page.nextCursor()));
    }
}
