package io.defensebuilders.contracts.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Roles, ordered: each one includes the rights of those before it. {@link #PLATFORM_ADMIN} operates the platform
 * across tenants.
 */
public enum Role {
    VIEWER,
    BUILDER,
    PUBLISHER,
    ADMIN,
    PLATFORM_ADMIN;

    /** The name used in tokens and {@code @RolesAllowed}: lowercase, dash-separated. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.claimValue().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
