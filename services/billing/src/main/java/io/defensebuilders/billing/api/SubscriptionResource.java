package io.defensebuilders.billing.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.billing.Subscription;
import io.defensebuilders.billing.service.BillingCommands;
import io.defensebuilders.billing.service.SubscriptionService;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** A tenant's subscriptions. Tenant-scoped: another tenant's subscription answers 404. */
@Path("/api/v1/billing")
@Tag(name = "Subscriptions")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;
    private final TenantContext tenant;

    public SubscriptionResource(SubscriptionService subscriptions, TenantContext tenant) {
        this.subscriptions = subscriptions;
        this.tenant = tenant;
    }

    @POST
    @Path("/subscriptions")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Subscribe the tenant to a plan", description = "Tenant admins for their tenant, platform admins"
            + " for any (`tenant`). One active subscription per tenant; custom plans only by platform admins.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Unknown plan, bad date or anchor day")
    @APIResponse(responseCode = "403", description = "Another tenant, or a custom plan, without platform-admin")
    @APIResponse(responseCode = "409", description = "The tenant has an active subscription")
    public Uni<RestResponse<BillingViews.SubscriptionView>> create(@Valid @NotNull BillingCommands.NewSubscription body) {
        return subscriptions.create(tenant.caller(), body)
                .map(s -> RestResponse.ResponseBuilder.<BillingViews.SubscriptionView> created(
                        URI.create("/api/v1/billing/subscriptions/" + s.id()))
                        .entity(view(s)).build());
    }

    @GET
    @Path("/subscriptions")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the tenant's subscriptions", description = "Active and ended, oldest first.")
    public Uni<List<BillingViews.SubscriptionView>> list(
            @Parameter(description = "Platform admins only: another tenant") @QueryParam("tenant") String tenantId) {
        return subscriptions.list(tenant.caller(), tenantId).map(l -> l.stream().map(this::view).toList());
    }

    @GET
    @Path("/subscriptions/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a subscription with its plan history")
    @APIResponse(responseCode = "404", description = "No such subscription in the caller's tenant")
    public Uni<BillingViews.SubscriptionView> get(@PathParam("id") String id) {
        return subscriptions.get(tenant.caller(), uuid(id)).map(this::view);
    }

    @POST
    @Path("/subscriptions/{id}/plan-changes")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change the plan", description = "Records a new phase from `effectiveDate` (default today, UTC)"
            + " with the plan's latest version. Flat fees are prorated by days on the period's invoice: the unused part"
            + " of the old plan is credited, the new plan charged for the rest of the period.")
    @APIResponse(responseCode = "200", description = "The subscription with its new phase")
    @APIResponse(responseCode = "404", description = "No such subscription in the caller's tenant")
    @APIResponse(responseCode = "409", description = "Already on that plan version, or ended")
    public Uni<BillingViews.SubscriptionView> changePlan(@PathParam("id") String id,
            @Valid @NotNull BillingCommands.PlanChange body) {
        return subscriptions.changePlan(tenant.caller(), uuid(id), body).map(this::view);
    }

    private BillingViews.SubscriptionView view(Subscription s) {
        return BillingViews.SubscriptionView.of(s, subscriptions.today());
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no subscription " + id);
        }
    }
}
