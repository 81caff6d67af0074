package io.defensebuilders.gateway.service;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;

/** Who may see and administer a tenant: its own members by role, and platform admins everywhere. */
final class TenantAccess {

    private TenantAccess() {
    }

    static boolean canSee(Caller caller, String tenant) {
        return caller.has(Role.PLATFORM_ADMIN) || caller.tenant().equals(tenant);
    }

    static boolean canAdminister(Caller caller, String tenant) {
        return caller.has(Role.PLATFORM_ADMIN) || caller.can(Role.ADMIN, tenant);
    }

    /** 404 when the caller may not even see the tenant, 403 when they see it but may not administer it. */
    static void requireAdminOf(Caller caller, String tenant) {
        if (!canSee(caller, tenant)) {
            throw ProblemException.notFound("no tenant '" + tenant + "'");
        }
        if (!canAdminister(caller, tenant)) {
            throw ProblemException.forbidden("administering tenant '" + tenant + "' needs the admin role");
        }
    }
}
