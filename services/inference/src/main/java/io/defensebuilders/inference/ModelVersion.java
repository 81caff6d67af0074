package io.defensebuilders.inference;

import java.time.Instant;
import java.util.UUID;

import io.defensebuilders.inference.runtime.Batching;
import io.defensebuilders.inference.runtime.Signature;

/**
 * One immutable version of a model: its file in the blob store, the file's SHA-256, what the model declares, how its
 * calls are batched (null parts: the service's settings), and whether replicas should hold it in memory.
 */
public record ModelVersion(UUID id, String tenant, String name, String version, String blobKey, long sizeBytes,
        String sha256, Signature signature, Batching batching, boolean loaded, String createdBy, Instant createdAt) {
}
