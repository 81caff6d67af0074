package io.defensebuilders.billing.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.billing.service.MeterCommands;
import io.defensebuilders.billing.service.MeterService;
import io.defensebuilders.platform.auth.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The meter catalog. Meters are platform-wide (one definition meters every tenant), so only platform admins change
 * them; a tenant admin does not decide how other tenants are metered. Every authenticated caller may read them.
 */
@Path("/api/v1/billing/meters")
@Authenticated
@Tag(name = "Meters")
public class MeterResource {

    private final MeterService meters;

    public MeterResource(MeterService meters) {
        this.meters = meters;
    }

    @POST
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @Operation(summary = "Define a meter", description = "Platform admins only. The meter aggregates the matching events"
            + " that arrive from now on; earlier events are not aggregated retroactively.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "A meter with this key exists")
    public Uni<RestResponse<Views.MeterView>> create(@Valid @NotNull MeterCommands.NewMeter body) {
        return meters.create(body).map(
                m -> RestResponse.ResponseBuilder.<Views.MeterView> created(URI.create("/api/v1/billing/meters/" + m.key()))
                        .entity(Views.MeterView.of(m))
                        .build());
    }

    @GET
    @Operation(summary = "List the meters")
    public Uni<List<Views.MeterView>> list() {
        return meters.list().map(list -> list.stream().map(Views.MeterView::of).toList());
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "Get a meter")
    public Uni<Views.MeterView> get(@PathParam("key") String key) {
        return meters.get(key).map(Views.MeterView::of);
    }

    @PATCH
    @Path("/{key}")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @Operation(summary = "Change a meter's description or group-by attributes", description = "Platform admins only."
            + " Event meter, aggregation and value property cannot change (409); create a new meter instead.")
    @APIResponse(responseCode = "200", description = "The changed meter")
    @APIResponse(responseCode = "409", description = "An immutable field was sent with another value")
    public Uni<Views.MeterView> update(@PathParam("key") String key, @Valid @NotNull MeterCommands.MeterChanges body) {
        return meters.update(key, body).map(Views.MeterView::of);
    }

    @DELETE
    @Path("/{key}")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @Operation(summary = "Retire a meter", description = "Platform admins only. Aggregation stops; the usage already"
            + " aggregated is kept; the key may be reused by a new meter.")
    @APIResponse(responseCode = "204", description = "Retired")
    public Uni<Void> delete(@PathParam("key") String key) {
        return meters.retire(key);
    }
}
