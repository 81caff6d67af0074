package io.defensebuilders.gateway;

import java.time.Instant;

import io.defensebuilders.contracts.auth.Role;

/** A human's role in a tenant. The subject is {@code <identity provider>:<sub>}. */
public record Member(String tenantId, String subject, Role role, String addedBy, Instant addedAt) {
}
