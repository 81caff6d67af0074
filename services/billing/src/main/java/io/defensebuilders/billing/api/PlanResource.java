package io.defensebuilders.billing.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.billing.service.BillingCommands;
import io.defensebuilders.billing.service.PlanService;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The plan catalog: every authenticated caller reads it; platform admins change it (each change a new version). */
@Path("/api/v1/billing")
@Authenticated
@Tag(name = "Plans")
public class PlanResource {

    private final PlanService plans;
    private final TenantContext tenant;

    public PlanResource(PlanService plans, TenantContext tenant) {
        this.plans = plans;
        this.tenant = tenant;
    }

    @GET
    @Path("/plans")
    @Operation(summary = "List the plans", description = "The latest version of each plan.")
    public Uni<List<BillingViews.PlanView>> list() {
        return plans.list().map(l -> l.stream().map(BillingViews.PlanView::of).toList());
    }

    @GET
    @Path("/plans/{key}")
    @Operation(summary = "Get a plan's latest version")
    @APIResponse(responseCode = "404", description = "No such plan")
    public Uni<BillingViews.PlanView> get(@PathParam("key") String key) {
        return plans.get(key).map(BillingViews.PlanView::of);
    }

    @POST
    @Path("/plans")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @Operation(summary = "Define a plan", description = "Platform admins only. Every usage charge must name a live meter.")
    @APIResponse(responseCode = "201", description = "Created (version 1)")
    @APIResponse(responseCode = "400", description = "A price that cannot price, an unknown meter or currency")
    @APIResponse(responseCode = "409", description = "The key exists")
    public Uni<RestResponse<BillingViews.PlanView>> create(@Valid @NotNull BillingCommands.NewPlan body) {
        return plans.create(body, tenant.caller().subject())
                .map(p -> RestResponse.ResponseBuilder.<BillingViews.PlanView> created(
                        URI.create("/api/v1/billing/plans/" + p.key()))
                        .entity(BillingViews.PlanView.of(p)).build());
    }

    @PUT
    @Path("/plans/{key}")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @Operation(summary = "Publish the next version of a plan", description = "Platform admins only. Subscriptions keep"
            + " the version they are on until they change plan; new subscriptions and plan changes get this one.")
    @APIResponse(responseCode = "200", description = "The new version")
    @APIResponse(responseCode = "404", description = "No such plan")
    public Uni<BillingViews.PlanView> update(@PathParam("key") String key, @Valid @NotNull BillingCommands.PlanVersion body) {
        return plans.newVersion(key, body, tenant.caller().subject()).map(BillingViews.PlanView::of);
    }

    @GET
    @Path("/fee-rules")
    @Operation(summary = "List the plan-independent fee rules", description = "E.g. the 10% marketplace fee on paid SDK"
            + " listing revenue.")
    public Uni<List<BillingViews.FeeRuleView>> feeRules() {
        return plans.feeRules().map(l -> l.stream().map(r -> new BillingViews.FeeRuleView(r.key(), r.description(),
                r.basisMeter(), r.rate(), r.currency())).toList());
    }
}
