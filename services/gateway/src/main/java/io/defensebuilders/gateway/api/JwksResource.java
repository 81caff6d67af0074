package io.defensebuilders.gateway.api;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.token.SigningKeys;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The keys services verify internal JWTs with, and their rotation. */
@Path("/")
@Tag(name = "Signing keys")
public class JwksResource {

    private final SigningKeys keys;
    private final TenantContext context;

    public JwksResource(SigningKeys keys, TenantContext context) {
        this.keys = keys;
        this.context = context;
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

    private void requirePlatformAdmin() {
        if (!context.caller().has(Role.PLATFORM_ADMIN)) {
            throw ProblemException.forbidden("signing keys are managed by platform admins");
        }
    }
}
