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

        /** Meaning as well as words: the inference service's text embedding model (SemanticSearch). */
        Semantic semantic();
    }

    interface Semantic {
        /** Whether searches and the embedder use the model; off, search is the full text and trigram match alone. */
        @WithDefault("true")
        boolean enabled();

        /** The embedding model (a public platform model of the inference service). */
        @WithDefault("all-minilm-l6-v2")
        String model();

        /** How long a search waits for its query's embedding before answering on words alone. */
        @WithDefault("500ms")
        Duration timeout();

        /** After a failed call, how long searches go without the model (a hung service costs one timeout). */
        @WithDefault("30s")
        Duration coolDown();

        /** How often a replica embeds stale SDKs and reads the others' new embeddings into its index. */
        @WithDefault("5s")
        Duration interval();

        /** SDKs embedded per call to the model. */
        @WithDefault("16")
        int batch();

        /** How long the embedder waits for a batch's embeddings. */
        @WithDefault("10s")
        Duration batchTimeout();

        /** Cosine similarity below which an SDK is not a meaning match (all-MiniLM-L6-v2: unrelated texts ~0-0.2). */
        @WithDefault("0.35")
        double minSimilarity();

        /** Meaning matches a query adds to the word matches, the most similar first. */
        @WithDefault("100")
        int candidates();

        /** Query embeddings kept per replica (a repeated query, and every page after the first, asks no model). */
        @WithDefault("2000")
        int queryCacheSize();

        /**
         * A platform-admin API key to mint the tokens the registry calls the model with, as the platform (tenant
         * platform, not metered to any tenant's plan). Unset: no semantic search.
         */
        java.util.Optional<String> gatewayApiKey();

        /** The gateway that mints them. */
        @WithDefault("http://localhost:8080")
        String gatewayUrl();
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
