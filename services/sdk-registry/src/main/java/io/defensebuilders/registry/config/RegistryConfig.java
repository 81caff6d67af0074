package io.defensebuilders.registry.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the SDK registry ({@code dbp.registry.*}). */
@ConfigMapping(prefix = "dbp.registry")
public interface RegistryConfig {

    /** CloudEvents {@code source} of every event this service emits. */
    @WithDefault("/services/sdk-registry")
    String eventSource();

    /** Artifact storage. */
    Artifacts artifacts();

    /** Largest README accepted per version, in bytes. */
    @WithDefault("524288")
    int readmeMaxBytes();

    /** Search paging. */
    Search search();

    /** Redis cache of the per-SDK version index used by resolution. */
    ResolveCache resolveCache();

    interface Artifacts {
        /** Largest artifact accepted, in bytes; larger uploads are refused with 413. */
        @WithDefault("268435456")
        long maxBytes();

        /** Directory of the filesystem blob store. */
        @WithDefault("data/sdk-registry/blobs")
        Path path();

        /** Content types an artifact may be uploaded as. */
        @WithDefault("application/octet-stream,application/gzip,application/x-gzip,application/x-tar,application/zip,"
                + "application/java-archive,application/x-xz,application/zstd,application/vnd.oci.image.layer.v1.tar+gzip")
        Set<String> mediaTypes();
    }

    interface Search {
        /** Page size when the request gives none. */
        @WithDefault("20")
        int defaultLimit();

        /** Largest page a request may ask for. */
        @WithDefault("100")
        int maxLimit();
    }

    interface ResolveCache {
        /** Whether resolution reads through Redis. */
        @WithDefault("true")
        boolean enabled();

        /** How long a cached version index lives; writes also evict it. */
        @WithDefault("60s")
        Duration ttl();
    }
}
