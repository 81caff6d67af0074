package io.defensebuilders.environments.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.environments.service.EnvironmentCommands;
import io.defensebuilders.environments.service.EnvironmentService;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;

/** Environments of the caller's tenant: create, list, read, delete, sleep, wake, and a kubeconfig for one. */
@Path("/api/v1/environments")
@Tag(name = "Environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnvironmentResource {

    private final EnvironmentService environments;
    private final TenantContext tenant;

    public EnvironmentResource(EnvironmentService environments, TenantContext tenant) {
        this.environments = environments;
        this.tenant = tenant;
    }

    @POST
    @RolesAllowed(Roles.BUILDER)
    @Operation(summary = "Create an environment", description = "Validates the spec, resolves the SDKs through the"
            + " registry as the caller, and creates the Environment resource; the operator provisions it. 400 for an"
            + " invalid spec, 422 for an SDK the registry cannot resolve, 409 for a name in use, 503 without a cluster.")
    public Response create(EnvironmentCommands.CreateEnvironment request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = tenant.caller();
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : "";
        var env = environments.create(caller, token, request);
        return Response.created(URI.create("/api/v1/environments/" + env.tenantName()))
                .entity(Views.EnvironmentView.of(env)).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the tenant's environments")
    public Views.EnvironmentList list() {
        return new Views.EnvironmentList(environments.list(tenant.tenant()).stream().map(Views.EnvironmentView::of)
                .toList());
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get an environment", description = "404 when it does not exist or belongs to another tenant.")
    public Views.EnvironmentView get(@PathParam("name") String name) {
        return Views.EnvironmentView.of(environments.get(tenant.tenant(), name));
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.BUILDER)
    @Operation(summary = "Delete an environment", description = "Accepted: the operator removes its namespace and"
            + " everything in it, then the resource.")
    public Response delete(@PathParam("name") String name) {
        environments.delete(tenant.tenant(), name);
        return Response.accepted().build();
    }

    @POST
    @Path("{name}/sleep")
    @RolesAllowed(Roles.BUILDER)
    @Operation(summary = "Put an environment to sleep", description = "Workloads scale to zero; volumes are kept.")
    public Views.EnvironmentView sleep(@PathParam("name") String name) {
        return Views.EnvironmentView.of(environments.sleep(tenant.tenant(), name));
    }

    @POST
    @Path("{name}/wake")
    @RolesAllowed(Roles.BUILDER)
    @Operation(summary = "Wake an environment", description = "Also records activity: idleTimeout counts from now.")
    public Views.EnvironmentView wake(@PathParam("name") String name) {
        return Views.EnvironmentView.of(environments.wake(tenant.tenant(), name));
    }

    @GET
    @Path("{name}/kubeconfig")
    @Produces("application/yaml")
    @RolesAllowed(Roles.BUILDER)
    @Operation(summary = "A kubeconfig for the environment's namespace", description = "Holds a short-lived token of"
            + " the environment's owner ServiceAccount (edit role in that namespace only).")
    public Response kubeconfig(@PathParam("name") String name) {
        return Response.ok(environments.kubeconfig(tenant.tenant(), name), "application/yaml")
                .header("Cache-Control", "no-store").build();
    }
}
