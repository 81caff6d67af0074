package io.defensebuilders.platform.auth;

/**
 * Role names ({@link io.defensebuilders.contracts.auth.Role#claimValue()}) as constants, for {@code @RolesAllowed}.
 * Roles are cumulative ({@link RoleHierarchyAugmentor} adds the lower ones), so
 * {@code @RolesAllowed(Roles.PUBLISHER)} also admits admins.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String BUILDER = "builder";
    public static final String PUBLISHER = "publisher";
    public static final String ADMIN = "admin";
    public static final String PLATFORM_ADMIN = "platform-admin";

    private Roles() {
    }
}
