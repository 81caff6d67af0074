package io.defensebuilders.gateway.api;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.service.SignIns;
import io.defensebuilders.gateway.service.TenantService;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Tenants and their members. */
@Path("/api/v1/tenants")
@Authenticated
@Tag(name = "Tenants")
public class TenantResource {

    private final TenantService tenants;
    private final TenantContext context;
    private final SignIns signIns;

    public TenantResource(TenantService tenants, TenantContext context, SignIns signIns) {
        this.tenants = tenants;
        this.signIns = signIns;
        this.context = context;
    }

    @POST
    @Operation(summary = "Create a tenant", description = "Platform admins only.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The id is taken")
    public Uni<RestResponse<Views.TenantView>> create(@Valid @NotNull Views.NewTenant body) {
        return tenants.create(context.caller(), body.id(), body.name(), body.plan())
                .map(t -> RestResponse.ResponseBuilder.<Views.TenantView> created(URI.create("/api/v1/tenants/" + t.id()))
                        .entity(Views.TenantView.of(t)).build());
    }

    @GET
    @Operation(summary = "List tenants", description = "Every tenant for platform admins; the caller's own otherwise.")
    public Uni<List<Views.TenantView>> list() {
        return tenants.visible(context.caller()).map(l -> l.stream().map(Views.TenantView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a tenant")
    public Uni<Views.TenantView> get(@PathParam("id") String id) {
        return tenants.get(context.caller(), id).map(Views.TenantView::of);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Rename a tenant, change its plan or how far its identity provider is trusted", description = "Renaming and `idpMaxRole` need the tenant's admin role; plans need platform-admin.")
    public Uni<Views.TenantView> update(@PathParam("id") String id, @Valid @NotNull Views.TenantChanges body) {
        return tenants.update(context.caller(), id, body.name(), body.plan(), body.idpMaxRole())
                .map(Views.TenantView::of);
    }

    @GET
    @Path("/{id}/sign-ins")
    @Operation(summary = "List who signed in through the identity provider", description = "People (and service"
            + " accounts) whose provider's token named this tenant: members just in time, with the roles of their"
            + " latest token here and when they first and last signed in; the most recent first. Needs the tenant's"
            + " admin role.")
    public Uni<List<Views.SignInView>> signIns(@PathParam("id") String id) {
        return signIns.of(context.caller(), id).map(l -> l.stream().map(Views.SignInView::of).toList());
    }

    @GET
    @Path("/{id}/members")
    @Operation(summary = "List a tenant's members", description = "Needs the tenant's admin role.")
    public Uni<List<Views.MemberView>> members(@PathParam("id") String id) {
        return tenants.members(context.caller(), id).map(l -> l.stream().map(Views.MemberView::of).toList());
    }

    @PUT
    @Path("/{id}/members/{subject}")
    @Operation(summary = "Add a member or change their role", description = "The subject is <identity provider>:<sub>. Needs the tenant's admin role; nobody grants a role they do not hold.")
    public Uni<Views.MemberView> putMember(@PathParam("id") String id, @PathParam("subject") String subject,
            @Valid @NotNull Views.MemberRole body) {
        return tenants.putMember(context.caller(), id, subject, Role.fromClaim(body.role()).orElseThrow())
                .map(Views.MemberView::of);
    }

    @DELETE
    @Path("/{id}/members/{subject}")
    @Operation(summary = "Remove a member")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Void> removeMember(@PathParam("id") String id, @PathParam("subject") String subject) {
        return tenants.removeMember(context.caller(), id, subject);
    }
}
