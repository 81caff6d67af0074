package io.defensebuilders.billing.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.billing.service.UsageReports;
import io.defensebuilders.billing.service.UsageService;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;
import io.smallrye.mutiny.Uni;

/** Aggregated usage of a tenant, per meter. */
@Path("/api/v1/billing/usage")
@Tag(name = "Usage")
public class UsageResource {

    private final UsageService usage;
    private final TenantContext tenant;

    public UsageResource(UsageService usage, TenantContext tenant) {
        this.usage = usage;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Query a meter's aggregated usage", description = "The caller's tenant's usage of one meter"
            + " over [from, to), as one value for the whole range or per MINUTE, HOUR or DAY window (UTC), optionally"
            + " per group-by attribute. Only windows and groups with usage are listed.")
    public Uni<UsageReports.UsageReport> query(
            @Parameter(description = "Meter key", example = "api.call", required = true) @QueryParam("meter") String meter,
            @Parameter(description = "Start, inclusive; a whole minute (RFC 3339)", example = "2026-01-01T00:00:00Z", required = true) @QueryParam("from") String from,
            @Parameter(description = "End, exclusive; a whole minute (RFC 3339)", example = "2026-02-01T00:00:00Z", required = true) @QueryParam("to") String to,
            @Parameter(description = "Group-by attributes of the meter (repeat or comma-separate)") @QueryParam("groupBy") List<String> groupBy,
            @Parameter(description = "MINUTE, HOUR or DAY; absent: one window for the whole range") @QueryParam("windowSize") String windowSize,
            @Parameter(description = "Platform admins only: the tenant to report on (default: the caller's)") @QueryParam("tenant") String tenantId) {
        return usage.query(tenant.caller(), new UsageService.Query(meter, from, to, groupBy, windowSize, tenantId));
    }
}
