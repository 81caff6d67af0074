package io.defensebuilders.gateway.auth;

import java.security.Principal;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.service.ApiKeyService;
import io.defensebuilders.platform.auth.Caller;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a verified API key into an identity: subject {@code key:<id>}, the key's tenant as
 * {@link Caller#TENANT_ATTRIBUTE} and its roles (the role hierarchy adds the implied ones).
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** Identity attribute with the id of the key that authenticated the call. */
    public static final String KEY_ID_ATTRIBUTE = "dbp.api-key";

    private final ApiKeyService keys;

    public ApiKeyIdentityProvider(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        return keys.verify(request.token()).map(found -> {
            var key = found.orElseThrow(() -> new AuthenticationFailedException("unknown, expired or revoked API key"));
            Principal principal = () -> "key:" + key.id();
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(principal)
                    .addAttribute(Caller.TENANT_ATTRIBUTE, key.tenantId())
                    .addAttribute(KEY_ID_ATTRIBUTE, key.id());
            key.roles().stream().map(Role::claimValue).forEach(identity::addRole);
            return identity.build();
        });
    }
}
