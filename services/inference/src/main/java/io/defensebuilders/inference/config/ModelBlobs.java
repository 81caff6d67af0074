package io.defensebuilders.inference.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.defensebuilders.platform.blob.BlobStore;
import io.defensebuilders.platform.blob.FileSystemBlobStore;

/** Model files live under {@code dbp.inference.models.path}. */
public class ModelBlobs {

    @Produces
    @ApplicationScoped
    BlobStore blobs(InferenceConfig config) {
        return new FileSystemBlobStore(config.models().path());
    }
}
