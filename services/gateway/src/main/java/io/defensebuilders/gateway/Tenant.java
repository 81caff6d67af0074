package io.defensebuilders.gateway;

import java.time.Instant;

/** A customer organisation: everything on the platform belongs to one. {@code plan} picks its rate limits. */
public record Tenant(String id, String name, String plan, String createdBy, Instant createdAt) {
}
