package io.defensebuilders.gateway;

import java.time.Instant;
import java.util.Set;

import io.defensebuilders.contracts.auth.Role;

/**
 * A machine credential of one tenant. Presented as {@code dbp_<id>_<secret>}; only the SHA-256 of the secret is
 * kept.
 */
public record ApiKey(String id, String tenantId, String name, Set<Role> roles, byte[] secretHash, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
