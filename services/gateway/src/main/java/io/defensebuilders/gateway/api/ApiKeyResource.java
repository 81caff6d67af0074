package io.defensebuilders.gateway.api;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.service.ApiKeyService;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** API keys for machines and CLIs. */
@Path("/api/v1/api-keys")
@Authenticated
@Tag(name = "API keys")
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final TenantContext context;

    public ApiKeyResource(ApiKeyService keys, TenantContext context) {
        this.keys = keys;
        this.context = context;
    }

    @POST
    @Operation(summary = "Create an API key", description = "Needs the tenant's admin role. The answer carries the secret; "
            + "it is shown this once and stored only as a hash. A key never holds a role its creator lacks.")
    @APIResponse(responseCode = "201", description = "Created; 'secret' is the key to use")
    public Uni<RestResponse<Views.ApiKeyView>> create(@Valid @NotNull Views.NewApiKey body) {
        Set<Role> roles = new LinkedHashSet<>();
        body.roles().forEach(r -> roles.add(Role.fromClaim(r).orElseThrow()));
        return keys.create(context.caller(), body.tenant(), body.name(), roles, body.expiresAt())
                .map(issued -> RestResponse.ResponseBuilder.<Views.ApiKeyView> created(
                        URI.create("/api/v1/api-keys/" + issued.key().id()))
                        .header("Cache-Control", "no-store")
                        .entity(Views.ApiKeyView.of(issued.key(), issued.token())).build());
    }

    @GET
    @Operation(summary = "List API keys", description = "Of the caller's tenant (platform admins: of ?tenant=). Never the secrets.")
    public Uni<List<Views.ApiKeyView>> list(@QueryParam("tenant") String tenant) {
        return keys.list(context.caller(), tenant).map(l -> l.stream().map(k -> Views.ApiKeyView.of(k, null)).toList());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key", description = "Takes effect on the next request, on every gateway replica. Repeating it is harmless.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<Void> revoke(@PathParam("id") String id) {
        return keys.revoke(context.caller(), id);
    }
}
