package io.defensebuilders.gateway;

import java.time.Instant;

/**
 * A customer organisation: everything on the platform belongs to one. {@code plan} picks its rate limits;
 * {@code idpMaxRole} is the highest role an identity provider's token naming the tenant grants in it.
 */
public record Tenant(String id, String name, String plan, String createdBy, Instant createdAt, String idpMaxRole) {

    /** What {@code idpMaxRole} may be: a tenant role, or none. */
    public static final String IDP_MAX_ROLES = "none|viewer|builder|publisher|admin";
    /** A new tenant's: its provider's groups are trusted up to its admin role. */
    public static final String DEFAULT_IDP_MAX_ROLE = "admin";

    /** A new tenant, trusting its provider's groups as {@link #DEFAULT_IDP_MAX_ROLE} says. */
    public Tenant(String id, String name, String plan, String createdBy, Instant createdAt) {
        this(id, name, plan, createdBy, createdAt, DEFAULT_IDP_MAX_ROLE);
    }
}
