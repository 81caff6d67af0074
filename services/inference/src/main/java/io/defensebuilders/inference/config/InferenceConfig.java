package io.defensebuilders.inference.config;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code dbp.inference.*} key. */
@ConfigMapping(prefix = "dbp.inference")
public interface InferenceConfig {

    /** Model files and their limits. */
    Models models();

    /** ONNX Runtime sessions and how many calls each model takes at once. */
    Runtime runtime();

    /** Largest JSON inference request, in bytes (413 above); tensors beyond it travel over gRPC. */
    @WithDefault("33554432")
    int maxRequestBytes();

    /** How calls find the model version they mean. */
    Catalog catalog();

    interface Catalog {
        /**
         * How long a call's resolution (caller tenant, model, version) is reused without asking PostgreSQL; changes
         * made on this replica drop it at once, another replica's reach calls here within this time. 0: no cache.
         */
        @WithDefault("1s")
        Duration cacheTtl();
    }

    /** The plan's inference call limit, asked of billing's gRPC Entitlements.Check (CallAllowance). */
    Billing billing();

    interface Billing {
        /** Whether calls are counted against the plan's {@code inferenceCallsPerMonth}. */
        @WithDefault("true")
        boolean enabled();

        /** How long to wait for billing's answer. */
        @WithDefault("1s")
        Duration timeout();

        /** How long billing's answer for a tenant stands before it is asked again (sooner when its calls run out). */
        @WithDefault("10s")
        Duration grantTtl();

        /** When billing does not answer: true serves the tenant for one grant's time (and counts it), false: 503. */
        @WithDefault("true")
        boolean failOpen();
    }

    /** The platform's own models (libs/models), published by the first replica that starts (PlatformModels). */
    PlatformModels platformModels();

    interface PlatformModels {
        /** Whether this replica publishes them as public models of tenant {@code platform} when they are missing. */
        @WithDefault("true")
        boolean enabled();

        /** Which of them, by name ({@code maneuver-classifier}, {@code all-minilm-l6-v2}); unset: every one. */
        java.util.Optional<java.util.List<String>> names();
    }

    /** How often a replica loads and unloads what the catalog says (read by CatalogSync's schedule). */
    Sync sync();

    interface Sync {
        /** A Quarkus scheduler interval, e.g. {@code 10s}; {@code off} stops it. */
        @WithDefault("10s")
        String every();
    }

    interface Models {
        /** Directory of the filesystem blob store that holds the model files. */
        @WithDefault("data/inference/models")
        Path path();

        /** Largest model file accepted, in bytes (413 above). */
        @WithDefault("268435456")
        long maxBytes();
    }

    interface Runtime {
        /** Threads ONNX Runtime uses inside one operator of one call (0: its default, one per core). */
        @WithDefault("1")
        int intraOpThreads();

        /** Threads ONNX Runtime uses across independent operators of one call. */
        @WithDefault("1")
        int interOpThreads();

        /** Calls one model version runs at once; more wait in its queue. */
        @WithDefault("4")
        int maxConcurrency();

        /** Calls that may wait for one model version; one more is answered 429. */
        @WithDefault("64")
        int maxQueue();

        /** How long a call may wait in the queue before it is answered 503. */
        @WithDefault("5s")
        Duration queueTimeout();

        /** Calls of one version merged into one session run (runtime/Batcher, as Triton's dynamic batcher). */
        Batching batching();

        interface Batching {
            /** Most rows (the calls' first dimensions summed) one merged run takes; 0 or 1 turns batching off. */
            @WithDefault("8")
            int maxBatchSize();

            /**
             * How long the first call of a batch waits for others to join it before it runs. 0 (the default): a call
             * runs at once when a slot is free, and calls batch only while every slot is busy, so a lone caller pays
             * no delay; a few ms trade latency for fuller batches.
             */
            @WithDefault("0ms")
            Duration maxQueueDelay();
        }
    }
}
