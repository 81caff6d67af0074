package io.defensebuilders.platform.auth;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Who is calling, from the verified internal JWT: tenant, subject and roles. The only source of tenancy a service
 * may use; a bare header never is.
 */
@RequestScoped
public class TenantContext {

    private final SecurityIdentity identity;
    private final CurrentIdentityAssociation association;

    public TenantContext(SecurityIdentity identity, CurrentIdentityAssociation association) {
        this.identity = identity;
        this.association = association;
    }

    /** The caller; 401 problem when anonymous, 403 when the token names no tenant. */
    public Caller caller() {
        return callerOf(identity);
    }

    /**
     * The caller, resolved without blocking: for code on an event-loop thread before authentication has run (gRPC
     * services under lazy authentication). Fails as {@link #caller()} does.
     */
    public Uni<Caller> deferredCaller() {
        return association.getDeferredIdentity().map(TenantContext::callerOf);
    }

    /** The identity of the request, resolved without blocking (as {@link #deferredCaller()}). */
    public Uni<SecurityIdentity> deferredIdentity() {
        return association.getDeferredIdentity();
    }

    /** The internal JWT the caller presented, to ask another service on the caller's behalf; null without one. */
    public String token() {
        return tokenOf(identity);
    }

    /** The internal JWT behind an identity, as {@link #token()}. */
    public static String tokenOf(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getRawToken() : null;
    }

    /** The caller's tenant, as {@link #caller()}. */
    public String tenant() {
        return caller().tenant();
    }

    /**
     * The caller an identity stands for. The tenant comes from the identity's {@link Caller#TENANT_ATTRIBUTE} when an
     * authentication mechanism set one (the gateway's API keys and mapped IdP tokens), else from the internal JWT's
     * tenant claim.
     */
    public static Caller callerOf(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "a valid bearer token is required");
        }
        Object attribute = identity.getAttribute(Caller.TENANT_ATTRIBUTE);
        Object claim = attribute != null ? attribute
                : identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(InternalToken.TENANT_CLAIM) : null;
        String tenant = claim instanceof JsonString json ? json.getString() : claim instanceof String s ? s : null;
        if (tenant == null || tenant.isBlank()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "the token names no tenant");
        }
        Set<Role> roles = identity.getRoles().stream().map(Role::fromClaim).flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
        return new Caller(tenant, identity.getPrincipal().getName(), roles);
    }
}
