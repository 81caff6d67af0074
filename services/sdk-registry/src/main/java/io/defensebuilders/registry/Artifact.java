package io.defensebuilders.registry;

import java.time.Instant;

/**
 * The file attached to a version, once.
 *
 * @param key where the blob store keeps it
 * @param size bytes
 * @param integrity SRI string, {@code sha512-<base64>}
 */
public record Artifact(String key, long size, String integrity, String mediaType, String filename, Instant uploadedAt) {
}
