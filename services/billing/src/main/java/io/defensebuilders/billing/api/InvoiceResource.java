package io.defensebuilders.billing.api;

import java.net.URI;
import java.util.List;

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

import io.defensebuilders.billing.service.BillingCommands;
import io.defensebuilders.billing.service.InvoicePreviews;
import io.defensebuilders.billing.service.InvoiceService;
import io.defensebuilders.billing.service.InvoicingService;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;
import io.smallrye.mutiny.Uni;

/** Invoices and credit notes of a tenant, and the preview of its upcoming invoice. Tenant-scoped. */
@Path("/api/v1/billing")
@Tag(name = "Invoices")
public class InvoiceResource {

    private final InvoiceService pricing;
    private final InvoicingService invoicing;
    private final TenantContext tenant;

    public InvoiceResource(InvoiceService pricing, InvoicingService invoicing, TenantContext tenant) {
        this.pricing = pricing;
        this.invoicing = invoicing;
        this.tenant = tenant;
    }

    @GET
    @Path("/invoices/preview")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Preview the upcoming invoice", description = "The current period's invoice computed now from"
            + " the usage metered so far (real time): recurring fees with proration, usage lines per meter with their"
            + " tiers, plan-independent fees, adjustments for late usage of issued periods.")
    @APIResponse(responseCode = "404", description = "The tenant has no active subscription")
    public Uni<InvoicePreviews.InvoicePreview> preview(
            @Parameter(description = "Platform admins only: another tenant") @QueryParam("tenant") String tenantId) {
        return pricing.preview(tenant.caller(), tenantId);
    }

    @GET
    @Path("/invoices")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the tenant's invoices", description = "Drafts and issued, newest period first.")
    public Uni<List<BillingViews.InvoiceView>> list(
            @Parameter(description = "Platform admins only: another tenant") @QueryParam("tenant") String tenantId) {
        return invoicing.list(tenant.caller(), tenantId).map(l -> l.stream().map(BillingViews.InvoiceView::of).toList());
    }

    @GET
    @Path("/invoices/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get an invoice")
    @APIResponse(responseCode = "404", description = "No such invoice in the caller's tenant")
    public Uni<BillingViews.InvoiceView> get(@PathParam("id") String id) {
        return invoicing.get(tenant.caller(), SubscriptionResource.uuid(id)).map(BillingViews.InvoiceView::of);
    }

    @POST
    @Path("/invoices/{id}/credit-notes")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @Operation(summary = "Credit an issued invoice", description = "Platform admins only: the seller credits. Voids"
            + " (the full total) or corrects (part of it) an issued invoice, which itself never changes. The credits of"
            + " an invoice never exceed its total.")
    @APIResponse(responseCode = "201", description = "Created, with its gapless number")
    @APIResponse(responseCode = "404", description = "No such invoice")
    @APIResponse(responseCode = "409", description = "A draft, or more than is left to credit")
    public Uni<RestResponse<BillingViews.CreditNoteView>> credit(@PathParam("id") String id,
            @Valid @NotNull BillingCommands.NewCreditNote body) {
        return invoicing.credit(tenant.caller(), SubscriptionResource.uuid(id), body.amount(), body.reason())
                .map(c -> RestResponse.ResponseBuilder.<BillingViews.CreditNoteView> created(
                        URI.create("/api/v1/billing/credit-notes/" + c.id())).entity(BillingViews.CreditNoteView.of(c))
                        .build());
    }

    @GET
    @Path("/credit-notes")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the tenant's credit notes")
    public Uni<List<BillingViews.CreditNoteView>> creditNotes(
            @Parameter(description = "Platform admins only: another tenant") @QueryParam("tenant") String tenantId) {
        return invoicing.creditNotes(tenant.caller(), tenantId)
                .map(l -> l.stream().map(BillingViews.CreditNoteView::of).toList());
    }
}
