package io.defensebuilders.registry;

import java.time.Instant;
import java.util.UUID;

/** An organisation or team that publishes SDKs; belongs to exactly one tenant. */
public record Publisher(UUID id, String tenant, String name, String displayName, String url, String createdBy,
        Instant createdAt) {
}
