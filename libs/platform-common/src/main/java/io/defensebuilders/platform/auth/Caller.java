package io.defensebuilders.platform.auth;

import java.util.Set;

import io.defensebuilders.contracts.auth.Role;

/**
 * An authenticated caller as a plain value, for service code that runs outside the request scope (reactive
 * continuations, gRPC, background work started by a request).
 *
 * @param tenant the caller's tenant
 * @param subject user or API key id
 * @param roles every role the caller holds, implied ones included
 */
public record Caller(String tenant, String subject, Set<Role> roles) {

    /** SecurityIdentity attribute with the caller's tenant, for identities that are not internal JWTs. */
    public static final String TENANT_ATTRIBUTE = "dbp.tenant";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether the caller belongs to {@code tenant} and holds {@code role} there. */
    public boolean can(Role role, String inTenant) {
        return tenant.equals(inTenant) && has(role);
    }
}
