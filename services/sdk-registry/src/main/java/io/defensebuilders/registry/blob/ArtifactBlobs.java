package io.defensebuilders.registry.blob;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.defensebuilders.platform.blob.BlobStore;
import io.defensebuilders.platform.blob.FileSystemBlobStore;
import io.defensebuilders.registry.config.RegistryConfig;

/** The registry's artifacts live under {@code dbp.registry.artifacts.path}. */
public class ArtifactBlobs {

    @Produces
    @ApplicationScoped
    BlobStore blobs(RegistryConfig config) {
        return new FileSystemBlobStore(config.artifacts().path());
    }
}
