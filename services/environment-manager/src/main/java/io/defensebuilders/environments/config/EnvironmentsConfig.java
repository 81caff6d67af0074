package io.defensebuilders.environments.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The environment manager's settings ({@code dbp.environments.*}). */
@ConfigMapping(prefix = "dbp.environments")
public interface EnvironmentsConfig {

    /** Operator: whether and how it talks to a cluster. */
    Operator operator();

    /** The largest environment a spec may ask for. */
    Limits limits();

    /** Lifecycle periods. */
    Lifecycle lifecycle();

    /** The SDK registry (gRPC ResolveSdk) and how to authenticate to it. */
    Registry registry();

    /** environment.minutes metering. */
    Usage usage();

    /** Kubeconfigs handed to environment owners. */
    Kubeconfig kubeconfig();

    /** The plan limit on concurrent environments, asked of billing's gRPC Entitlements.Check. */
    Billing billing();

    interface Billing {
        /** Whether REST creates ask billing first (environments.concurrent). */
        @WithDefault("true")
        boolean enabled();

        /** How long to wait for billing's answer. */
        @WithDefault("2s")
        Duration timeout();

        /** When billing does not answer: true lets the environment be created (and counts it), false answers 503. */
        @WithDefault("true")
        boolean failOpen();
    }

    interface Operator {
        /**
         * auto: reconcile when a cluster is configured (kubeconfig, KUBERNETES_MASTER, in-cluster service account or
         * quarkus.kubernetes-client.api-server-url); true: always; false: never (REST answers 503).
         */
        @WithDefault("auto")
        String enabled();

        /** Every environment is reconciled at least this often (drift repair, timers). */
        @WithDefault("60s")
        Duration resync();
    }

    interface Limits {
        /** Most CPU per environment. */
        @WithDefault("8")
        String maxCpu();

        /** Most memory per environment. */
        @WithDefault("32Gi")
        String maxMemory();

        /** Most storage per environment. */
        @WithDefault("200Gi")
        String maxStorage();

        /** Longest ttl. */
        @WithDefault("30d")
        Duration maxTtl();
    }

    interface Lifecycle {
        /** A sleeping environment that is not persistent is deleted after sleeping this long. */
        @WithDefault("7d")
        Duration sleepRetention();

        /**
         * How long before its ttl runs out an environment says so (an {@code environment.expiring} event), at most a
         * quarter of its ttl.
         */
        @WithDefault("1h")
        Duration expiryWarning();
    }

    interface Registry {
        /**
         * Platform-admin API key the operator exchanges at the gateway (POST /api/v1/gateway/tokens) for short-lived
         * tokens of an environment's tenant, to resolve SDKs for resources created with kubectl. Unset: only the REST
         * API (which forwards the caller's token) can resolve.
         */
        Optional<String> gatewayApiKey();

        /** The gateway that mints those tokens. */
        @WithDefault("http://localhost:8080")
        String gatewayUrl();

        /** Deadline of one ResolveSdk call. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Usage {
        /** How often Ready minutes are counted and emitted. */
        @WithDefault("60s")
        String every();
    }

    interface Kubeconfig {
        /** API server URL written into kubeconfigs (the one users reach); the operator's own when unset. */
        Optional<String> server();

        /** Lifetime of the ServiceAccount token in a kubeconfig. */
        @WithDefault("8h")
        Duration tokenTtl();
    }
}
