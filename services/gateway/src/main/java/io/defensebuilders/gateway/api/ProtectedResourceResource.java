package io.defensebuilders.gateway.api;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the platform and its MCP endpoint: how an MCP client (Claude
 * Code, VS Code) finds the identity providers whose tokens the gateway accepts, after a 401 names this document in
 * its {@code WWW-Authenticate} (resource_metadata). API keys work too, as a bearer token.
 */
@Path("/.well-known/oauth-protected-resource")
@Tag(name = "Identity")
public class ProtectedResourceResource {

    /** The metadata document's members (RFC 9728 section 2). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Metadata(String resource,
            @JsonProperty("authorization_servers") List<String> authorizationServers,
            @JsonProperty("bearer_methods_supported") List<String> bearerMethodsSupported,
            @JsonProperty("resource_name") String resourceName,
            @JsonProperty("resource_documentation") String resourceDocumentation) {
    }

    private final GatewayConfig config;
    private final HttpServerRequest request;

    public ProtectedResourceResource(GatewayConfig config, HttpServerRequest request) {
        this.config = config;
        this.request = request;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Protected resource metadata of the platform's API (RFC 9728)")
    public Metadata platform() {
        return metadata("", "Defense Builders Platform API");
    }

    @GET
    @Path("/mcp")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Protected resource metadata of the MCP endpoint (RFC 9728)", description = "Names the "
            + "identity providers whose access tokens /mcp accepts; a platform API key is accepted as a bearer token too.")
    public Metadata mcp() {
        return metadata("/mcp", "Defense Builders Platform MCP server");
    }

    private Metadata metadata(String path, String name) {
        String base = config.publicBase(request);
        return new Metadata(base + path, authorizationServers(config), List.of("header"), name,
                base + "/q/swagger-ui");
    }

    /** The issuers of the identity providers the gateway trusts (their OIDC tenants' auth-server-url). */
    static List<String> authorizationServers(GatewayConfig config) {
        var settings = ConfigProvider.getConfig();
        return config.idp().keySet().stream()
                .map(idp -> settings.getOptionalValue("quarkus.oidc." + idp + ".auth-server-url", String.class))
                .flatMap(Optional::stream).sorted().toList();
    }
}
