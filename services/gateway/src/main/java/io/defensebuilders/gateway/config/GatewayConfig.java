package io.defensebuilders.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the gateway ({@code dbp.gateway.*}). */
@ConfigMapping(prefix = "dbp.gateway")
public interface GatewayConfig {

    /** Upstream services by name: which public path prefixes go where. */
    Map<String, Route> routes();

    /** The internal JWT minted for every forwarded call. */
    Token token();

    /** Keys that sign internal JWTs. */
    Signing signing();

    /** Rate-limit plans by name; a tenant's plan picks one. */
    Map<String, Plan> plans();

    /** The rate-limit plan of calls to open paths ({@link Route#openPrefixes()}), per client address. */
    @WithDefault("pro")
    String unsignedPlan();

    /** Plan of tenants created without one. */
    @WithDefault("free")
    String defaultPlan();

    /** Where a tenant's rate-limit plan comes from: billing's entitlements, else the tenant row. */
    Billing billing();

    interface Billing {
        /**
         * Ask billing ({@code Entitlements.Check}, feature {@code api.rate-tier}, gRPC client {@code billing}) for the
         * tenant's rate tier. When billing cannot answer, the plan on the tenant row decides.
         */
        @WithDefault("true")
        boolean enabled();

        /** Longest wait for billing's answer. */
        @WithDefault("500ms")
        Duration timeout();

        /** How long a tenant's plan is kept in memory before it is asked again. */
        @WithDefault("30s")
        Duration planCacheTtl();

        /** Billing's rate tiers to this gateway's plans (application.properties has the defaults). */
        Map<String, String> rateTiers();
    }

    /** Rate limiting. */
    RateLimit rateLimit();

    /** Slowing down callers who present wrong credentials. */
    AuthThrottle authThrottle();

    interface AuthThrottle {
        /** Whether failed authentications are counted and, past the limits, answered 429. */
        @WithDefault("true")
        boolean enabled();

        /** Failed authentications one client address may make at once, before it must wait. */
        @WithDefault("30")
        int addressBurst();

        /** ... and per minute after that. */
        @WithDefault("30")
        int addressPerMinute();

        /**
         * Failed authentications with one API key id (from any address) at once, before that key id is refused to
         * every address that has not used it successfully in the last hour.
         */
        @WithDefault("10")
        int keyBurst();

        /** ... and per minute after that. */
        @WithDefault("10")
        int keyPerMinute();
    }

    /** How tokens of each trusted identity provider map to tenants and roles, by the OIDC tenant's name. */
    Map<String, Idp> idp();

    /**
     * The platform's public base URL (https://dbp.example.com), which OAuth protected resource metadata names as the
     * resource; absent: the scheme and Host of the request that asks.
     */
    Optional<URI> publicUrl();

    /** The platform's public base URL: {@link #publicUrl()}, or the scheme and Host of {@code request}. */
    default String publicBase(io.vertx.core.http.HttpServerRequest request) {
        return publicUrl().map(u -> u.toString().replaceFirst("/+$", ""))
                .orElseGet(() -> request.scheme() + "://" + request.authority());
    }

    /** The first start on an empty database. */
    Bootstrap bootstrap();

    /** Usage events. */
    Usage usage();

    interface Route {
        /** Public path prefixes this service serves, e.g. /api/v1/sdks. */
        List<String> prefixes();

        /**
         * Base URL of the service: a Kubernetes Service name in a cluster, localhost locally. Several, separated by
         * commas, are replicas of the service: calls go to each in turn, and a call whose connection cannot be made
         * (the replica is restarting, or down) goes to the next one; nothing of it has been sent yet, so any method
         * can move on.
         */
        List<URI> url();

        /**
         * Paths under {@link #prefixes()} that take calls without a credential: signed deliveries (GitHub and Slack
         * webhooks) whose receiver checks the signature itself against the tenant's secret. Such a call is forwarded
         * without an internal token, limited per client address by {@link GatewayConfig#unsignedPlan()}, and has no
         * tenant to meter.
         */
        Optional<List<String>> openPrefixes();

        /** Longest wait for the upstream's answer, and between chunks of it; counted from the end of the request body. */
        @WithDefault("30s")
        Duration timeout();

        /** Longest wait for a connection. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Extra attempts, each at the next replica, when a connection to the upstream cannot be made. */
        @WithDefault("2")
        int retries();

        /**
         * Largest request body this service takes; a larger one is answered 413 by the gateway, before it reaches the
         * service. Keep it equal to the service's own {@code quarkus.http.limits.max-body-size}.
         */
        @WithDefault("10M")
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        /**
         * Consecutive signs that the service is unavailable (connection failures, timeouts, 502, 503 and 504 answers)
         * that open the circuit breaker. Answers to bad input (any other status, 500 included) are not such signs.
         */
        @WithDefault("5")
        int breakerFailures();

        /** How long an open breaker refuses calls before letting one through. */
        @WithDefault("10s")
        Duration breakerReset();

        /** Connections kept to the upstream, per event loop. */
        @WithDefault("200")
        int maxConnections();

        /**
         * The readiness URL ({@code /q/health/ready} on the management port) of each replica, in the order of
         * {@link #url()}. With two replicas or more the gateway asks each every {@link #healthInterval()} and sends
         * calls only to those that answer 200 (to all, when none does): a replica that is told to stop reports DOWN
         * for its shutdown delay while it still serves, so it leaves the rotation before it closes a connection.
         * Unset in a cluster, where the route's URL is a Kubernetes Service and endpoints follow readiness.
         */
        Optional<List<URI>> health();

        /** How often each replica's readiness is asked, and how long an answer may take. */
        @WithDefault("500ms")
        Duration healthInterval();
    }

    interface Token {
        /** Lifetime of an internal JWT. */
        @WithDefault("60s")
        Duration ttl();

        /**
         * How long a minted token is reused for further calls of the same caller (same tenant, subject, roles and
         * signing key); 0 mints one per call. Signing costs about 0.2 ms of CPU (ES256), so per-call minting caps a
         * core at a few thousand calls per second. A reused token carries the request id of the call that minted
         * it; the current call's id always travels in X-Request-Id.
         */
        @WithDefault("30s")
        Duration reuse();
    }

    interface Signing {
        /** Base64 AES-256 key that encrypts signing keys at rest; required outside dev and test. */
        Optional<String> keyEncryptionKey();

        /** ES256 (default, fast) or RS256. */
        @WithDefault("ES256")
        String algorithm();

        /** A new signing key is made this often. */
        @WithDefault("24h")
        Duration rotationPeriod();

        /** A new key is in the JWKS this long before it signs, so verifiers can learn it first. */
        @WithDefault("2m")
        Duration publishAhead();

        /** How often each replica reloads the key set from the database. */
        @WithDefault("15s")
        Duration reloadInterval();
    }

    interface Plan {
        /** The tenant's bucket: shared by every caller of the tenant. */
        Limit tenant();

        /** Each API key's or user's bucket. */
        Limit principal();
    }

    interface Limit {
        /** Sustained requests per minute. */
        int perMinute();

        /** Bucket size: how many requests may come at once. */
        int burst();
    }

    interface RateLimit {
        /** Whether rate limits apply at all. */
        @WithDefault("true")
        boolean enabled();

        /** Longest wait for Redis before the local fallback buckets decide. */
        @WithDefault("100ms")
        Duration redisTimeout();

        /** How often a fallen-back gateway tries Redis again. */
        @WithDefault("1s")
        Duration redisRetry();
    }

    interface Idp {
        /** Claim that carries the platform tenant id (empty: use the caller's memberships). */
        @WithDefault("tenant")
        String tenantClaim();

        /** Claim that carries roles (a list or a space-separated string). */
        @WithDefault("roles")
        String rolesClaim();

        /** IdP role name to platform role; names that are platform roles already map to themselves. */
        Map<String, String> roleMap();

        /** Tenants this IdP may name; absent: any. A claim naming another tenant is ignored. */
        Optional<java.util.Set<String>> tenants();

        /**
         * The tenant every token of this IdP names, for an organisation's own provider (Entra ID, Okta, Cognito
         * without a custom claim): the tenant claim is then not read.
         */
        Optional<String> tenant();
    }

    interface Bootstrap {
        /** Create a bootstrap admin tenant and API key when there is no tenant at all. */
        @WithDefault("true")
        boolean enabled();

        /** Id of the bootstrap tenant. */
        @WithDefault("bootstrap")
        String tenant();

        /** Also write the bootstrap key to this file (owner-only), for the local runtime to hand it over once. */
        Optional<java.nio.file.Path> keyFile();

        /**
         * The bootstrap key to create ({@code dbp_<16 hex>_<43 base64url>}) instead of a new random one, e.g. from a
         * Kubernetes Secret the Helm chart made: it is then never logged, the Secret is where an operator reads it.
         */
        Optional<String> key();

        /**
         * A directory of the platform's own services' API keys (one file per service, named after it, holding its
         * key), e.g. the Helm chart's Secret service-keys mounted. At every start each key not yet known is created on
         * the bootstrap tenant with the platform-admin role alone, named {@code service:<file name>}, for the service to
         * mint internal tokens with. A key once created is never created again: revoking it sticks.
         */
        Optional<java.nio.file.Path> serviceKeysDir();
    }

    interface Usage {
        /** Whether every call emits a usage.v1 api.call event. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Kafka producer settings of the usage events over the gateway's own (e.g. {@code compression.type},
         * {@code linger.ms}, {@code batch.size}); the bootstrap servers come from {@code kafka.bootstrap.servers}.
         */
        Map<String, String> producer();

        /** The local files that keep usage events until Kafka has them, for a gateway killed without warning. */
        Journal journal();
    }

    interface Journal {
        @WithDefault("true")
        boolean enabled();

        /**
         * A directory of this gateway process alone, kept across its restarts: in Kubernetes an {@code emptyDir}
         * volume; locally, by default, one per HTTP port under the temporary directory.
         */
        @WithDefault("${java.io.tmpdir}/dbp-gateway-usage-${quarkus.http.port}")
        java.nio.file.Path dir();
    }
}
