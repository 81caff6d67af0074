package io.defensebuilders.gateway.api;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.token.InternalTokens;
import io.defensebuilders.gateway.token.SigningKeys;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The keys services verify internal JWTs with, their rotation, and minting tokens for operators. */
@Path("/")
@Tag(name = "Signing keys")
public class JwksResource {

    private static final Logger LOG = Logger.getLogger(JwksResource.class);

    private final SigningKeys keys;
    private final InternalTokens tokens;
    private final TenantContext context;
    private final java.time.Duration ttl;

    public JwksResource(SigningKeys keys, InternalTokens tokens, TenantContext context, GatewayConfig config) {
        this.keys = keys;
        this.tokens = tokens;
        this.context = context;
        this.ttl = config.token().ttl();
    }

    @GET
    @Path(InternalToken.JWKS_PATH)
    @PermitAll
    @Produces("application/jwk-set+json")
    @Operation(summary = "JWKS of the internal JWT signing keys", description = "Published, not yet signing, signing, and retiring keys.")
    public Response jwks() {
        return Response.ok(keys.jwks()).header("Cache-Control", "public, max-age=30").build();
    }

    @GET
    @Path("api/v1/gateway/signing-keys")
    @Authenticated
    @Operation(summary = "List signing keys", description = "Platform admins only. Public metadata, never key material.")
    public List<Views.SigningKeyView> list() {
        requirePlatformAdmin();
        return keys.all().stream().map(k -> new Views.SigningKeyView(k.kid(), k.jwk().getAlgorithm(), k.activatesAt(),
                k.retiresAt())).toList();
    }

    @POST
    @Path("api/v1/gateway/signing-keys/rotate")
    @Authenticated
    @Operation(summary = "Rotate the signing key now", description = "Platform admins only. The new key is published at once and signs after dbp.gateway.signing.publish-ahead; the old one keeps verifying until its last token expires.")
    public Uni<Views.SigningKeyView> rotate() {
        requirePlatformAdmin();
        return keys.rotate().map(k -> new Views.SigningKeyView(k.kid(), k.jwk().getAlgorithm(), k.activatesAt(),
                k.retiresAt()));
    }

    @POST
    @Path("api/v1/gateway/tokens")
    @Authenticated
    @Operation(summary = "Mint an internal token for a tenant and roles", description = "Platform admins only, for operating "
            + "the platform: calling a service's gRPC API directly, or running the benchmarks. The token lives as long as "
            + "any internal token (dbp.gateway.token.ttl); every minting is logged.")
    public Views.MintedToken mint(@Valid @NotNull Views.TokenRequest body) {
        requirePlatformAdmin();
        Caller admin = context.caller();
        java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        body.roles().forEach(r -> roles.add(Role.fromClaim(r).orElseThrow()));
        Caller subject = new Caller(body.tenant(), body.subject(), roles);
        String rid = "minted-" + java.util.UUID.randomUUID();
        LOG.infof("%s minted an internal token for tenant %s, subject %s, roles %s (request id %s)", admin.subject(),
                body.tenant(), body.subject(), body.roles(), rid);
        return new Views.MintedToken(tokens.mint(subject, rid), java.time.Instant.now().plus(ttl));
    }

    private void requirePlatformAdmin() {
        if (!context.caller().has(Role.PLATFORM_ADMIN)) {
            throw ProblemException.forbidden("signing keys are managed by platform admins");
        }
    }
}
