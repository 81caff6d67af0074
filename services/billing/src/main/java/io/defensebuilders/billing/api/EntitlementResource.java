package io.defensebuilders.billing.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.billing.service.EntitlementService;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;
import io.smallrye.mutiny.Uni;

/** The REST twin of gRPC {@code Entitlements.Check}, for people and scripts. */
@Path("/api/v1/billing/entitlements")
@Tag(name = "Entitlements")
public class EntitlementResource {

    private final EntitlementService entitlements;
    private final TenantContext tenant;

    public EntitlementResource(EntitlementService entitlements, TenantContext tenant) {
        this.entitlements = entitlements;
        this.tenant = tenant;
    }

    @GET
    @Path("/{feature}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Whether the plan allows a quantity of a feature", description = "Features: "
            + "`environments.concurrent` (quantity = environments running at once), `inference.calls` and `api.calls` "
            + "(quantity = calls about to be made, counted with this billing period's usage), `api.rate-tier`.")
    @APIResponse(responseCode = "400", description = "Unknown feature or negative quantity")
    @APIResponse(responseCode = "403", description = "Another tenant without platform-admin")
    public Uni<EntitlementService.Decision> check(@PathParam("feature") String feature,
            @QueryParam("quantity") @DefaultValue("1") long quantity,
            @Parameter(description = "Platform admins only: another tenant") @QueryParam("tenant") String tenantId) {
        return entitlements.check(tenant.caller(), tenantId, feature, quantity);
    }
}
