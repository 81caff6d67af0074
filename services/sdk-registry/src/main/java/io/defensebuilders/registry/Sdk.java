package io.defensebuilders.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An SDK: a platform-unique name and its mutable metadata. Its versions are immutable ({@link SdkVersion}). */
public record Sdk(UUID id, String name, String tenant, UUID publisherId, String publisher, String title,
        String description, String license, String homepage, String repository, List<String> tags,
        List<String> categories, Visibility visibility, String latestVersion, long downloads, String createdBy,
        Instant createdAt, Instant updatedAt) {

    /** Whether a caller of {@code callerTenant} may see this SDK at all. */
    public boolean visibleTo(String callerTenant) {
        return visibility == Visibility.PUBLIC || tenant.equals(callerTenant);
    }
}
