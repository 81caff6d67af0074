package io.defensebuilders.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.auth.Role;

/** A tenant's highest role for its provider's tokens. */
class SignInsTest {

    @Test
    void rolesAboveTheTenantsHighestAreLoweredToIt() {
        assertEquals(EnumSet.of(Role.BUILDER), SignIns.cap(EnumSet.of(Role.ADMIN), "builder"));
        assertEquals(EnumSet.of(Role.VIEWER, Role.BUILDER), SignIns.cap(EnumSet.of(Role.VIEWER, Role.PUBLISHER), "builder"));
        assertEquals(EnumSet.of(Role.VIEWER), SignIns.cap(EnumSet.of(Role.VIEWER), "admin"));
        assertEquals(EnumSet.of(Role.ADMIN, Role.PUBLISHER), SignIns.cap(EnumSet.of(Role.ADMIN, Role.PUBLISHER), "admin"));
    }

    @Test
    void noneGrantsNoTenantRole() {
        assertEquals(Set.of(), SignIns.cap(EnumSet.of(Role.ADMIN, Role.VIEWER), "none"));
    }

    @Test
    void platformAdminIsNotATenantsToLimit() {
        assertEquals(EnumSet.of(Role.PLATFORM_ADMIN), SignIns.cap(EnumSet.of(Role.PLATFORM_ADMIN, Role.ADMIN), "none"));
        assertEquals(EnumSet.of(Role.VIEWER, Role.PLATFORM_ADMIN),
                SignIns.cap(EnumSet.of(Role.PLATFORM_ADMIN, Role.ADMIN), "viewer"));
    }
}
