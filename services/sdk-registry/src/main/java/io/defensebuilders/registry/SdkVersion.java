package io.defensebuilders.registry;

import java.time.Instant;
import java.util.UUID;

/**
 * One published version of an SDK. Everything but the yank and deprecation flags is immutable, and the artifact
 * can be attached exactly once.
 */
public record SdkVersion(UUID id, UUID sdkId, SemVer version, String readme, String image, String imageDigest,
        EnvironmentTemplate environmentTemplate, Artifact artifact, boolean yanked, String yankReason,
        Instant yankedAt, String deprecationMessage, Instant deprecatedAt, String publishedBy, Instant publishedAt) {
}
