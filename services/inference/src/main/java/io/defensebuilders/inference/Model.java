package io.defensebuilders.inference;

import java.time.Instant;

/** A tenant's model: a name with versions, one of them the default; private to its tenant or public to all. */
public record Model(String tenant, String name, String description, boolean isPublic, String defaultVersion,
        Instant createdAt) {
}
