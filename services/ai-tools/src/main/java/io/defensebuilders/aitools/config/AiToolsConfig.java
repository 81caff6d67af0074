package io.defensebuilders.aitools.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code dbp.ai-tools.*} key. */
@ConfigMapping(prefix = "dbp.ai-tools")
public interface AiToolsConfig {

    /** The services the tools call, by name (sdk-registry, environment-manager, orbital, billing, analytics, inference). */
    Map<String, Service> services();

    interface Service {
        /**
         * Base URL of the service's API port, reached directly (the caller's internal JWT goes with each call); several,
         * comma-separated, are taken in turn.
         */
        String url();
    }

    /** How long one call to a service may take before the tool answers that it is unavailable. */
    @WithDefault("30s")
    Duration callTimeout();

    /** The MCP endpoint. */
    Mcp mcp();

    interface Mcp {
        /**
         * Origins (regular expressions over the whole Origin header) a browser may call {@code /mcp} from; any other
         * origin is refused 403 (DNS rebinding). Clients that are not browsers send no Origin and are not affected.
         */
        @WithDefault("https?://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]+)?")
        List<String> allowedOrigins();

        /**
         * Largest MCP request body, in bytes (413 above): tool arguments are small, element sets for
         * {@code ingest_element_sets} the largest (a thousand TLEs is ~140 KB).
         */
        @WithDefault("4194304")
        long maxRequestBytes();

        /** Tool calls a tenant may make per minute, per tool and replica, unless {@code tool-limits} names the tool. */
        @WithDefault("120")
        int callsPerMinute();

        /** Per-tool calls per minute for one tenant on one replica, overriding {@code calls-per-minute}. */
        Map<String, Integer> toolLimits();

        /** How often a long tool (a conjunction screening) asks for its progress. */
        @WithDefault("1s")
        Duration pollEvery();

        /** The longest a long tool follows its work before it answers with what it has (the work goes on). */
        @WithDefault("10m")
        Duration followAtMost();
    }

    /** GitHub and Slack integrations: webhooks in, the work they start. */
    Integrations integrations();

    interface Integrations {
        /**
         * Base64 of the 32-byte AES key that seals tenants' webhook secrets and tokens at rest
         * (DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY). Required outside dev and test; changing it makes the stored secrets
         * unreadable.
         */
        Optional<String> secretKey();

        /**
         * The platform-admin API key ai-tools asks the gateway for a tenant's internal tokens with, to act for an
         * integration's tenant (publish a release, answer a Slack command). Unset: deliveries are received and recorded,
         * but their work fails saying so.
         */
        Optional<String> gatewayApiKey();

        /** The gateway, which mints those tokens. */
        @WithDefault("http://localhost:8080")
        String gatewayUrl();

        /**
         * GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3). A release's tarball is fetched only from
         * under this URL, whatever the delivery names.
         */
        @WithDefault("https://api.github.com")
        String githubApiUrl();

        /** The largest release tarball taken as an SDK artifact (the registry's own limit applies too). */
        @WithDefault("268435456")
        long maxArtifactBytes();

        /** How old a Slack request's timestamp may be before it is refused as a replay (Slack's advice: 5 minutes). */
        @WithDefault("300s")
        Duration slackMaxAge();

        /** How long deliveries are kept: a redelivery within this time is recognised, and the API lists them. */
        @WithDefault("30d")
        Duration keepDeliveries();

        /** How often pending work (a release to publish) is looked for (read by the scheduler; here for its doc). */
        @WithDefault("2s")
        Duration workEvery();

        /** Attempts of a delivery's work before it is failed for good; the waits between them double from 5 s. */
        @WithDefault("8")
        int attempts();

        /** The first wait after a failed attempt; each next one doubles, with jitter. */
        @WithDefault("5s")
        Duration firstRetry();
    }

    /** Notifications out: platform events to a tenant's Slack, Teams and HTTPS webhooks. */
    Notifications notifications();

    interface Notifications extends io.defensebuilders.platform.events.ConsumerLoopConfig {
        /** The consumer group reading the topics notifications come from (one per deployment: replicas share it). */
        @WithDefault("ai-tools-notifications")
        String groupId();

        /** Attempts of a notification before it is a dead letter; the waits between them double from first-retry. */
        @WithDefault("8")
        int attempts();

        /** The wait after a first failed attempt (then 2x, 4x... capped at an hour, with ±20 % jitter). */
        @WithDefault("10s")
        Duration firstRetry();

        /** Longest wait for a receiver's answer. */
        @WithDefault("10s")
        Duration sendTimeout();

        /**
         * Networks (CIDR) a target may be in although they are private, loopback or link-local: the operator's own
         * receivers inside the cluster. Empty: only public addresses, the safe default against SSRF.
         */
        Optional<java.util.List<String>> allowedNetworks();

        /** Whether plain http targets are accepted (https only otherwise). */
        @WithDefault("false")
        boolean allowHttp();

        /** How long delivered and dead notifications are kept (and dead letters can be replayed). */
        @WithDefault("14d")
        Duration keep();

        /** Most subscriptions one tenant may have. */
        @WithDefault("50")
        int maxSubscriptions();
    }

    /** "Ask the docs": SDK READMEs indexed as their versions are published (registry.v1). */
    Docs docs();

    interface Docs extends io.defensebuilders.platform.events.ConsumerLoopConfig {
        /** The consumer group reading registry.v1 for READMEs to index (replicas share it). */
        @WithDefault("ai-tools-docs")
        String groupId();

        /** Search by meaning: passages embedded by the inference service's text embedding model (DocEmbeddings). */
        Embeddings embeddings();

        /** An optional language model that writes an answer from the passages (AnswerWriter). */
        Llm llm();
    }

    interface Llm {
        /**
         * Base URL of an OpenAI-compatible chat completions API, up to its {@code /v1} (OpenAI, NVIDIA NIM, vLLM,
         * Ollama, LiteLLM in front of Bedrock or Anthropic); {@code /chat/completions} is appended. Unset: the answer is
         * the passages alone.
         */
        Optional<String> url();

        /** The model to ask (required with a url). */
        Optional<String> model();

        /** Its API key, sent as a bearer token (DBP_AI_TOOLS_DOCS_LLM_API_KEY); none for an endpoint without one. */
        Optional<String> apiKey();

        /** How long a question waits for the written answer before it is answered with the passages alone. */
        @WithDefault("30s")
        Duration timeout();

        /** The longest answer, in the model's tokens. */
        @WithDefault("600")
        int maxTokens();
    }

    interface Embeddings {
        /** Whether questions are also answered by meaning; off (or no gateway key), by words alone. */
        @WithDefault("true")
        boolean enabled();

        /** The embedding model (a public platform model of the inference service, libs/models' TextEmbedding). */
        @WithDefault("all-minilm-l6-v2")
        String model();

        /** How long a question waits for its embedding before it is answered by words alone. */
        @WithDefault("2s")
        Duration timeout();

        /** After a failed call, how long questions and the embedder go without the model. */
        @WithDefault("30s")
        Duration coolDown();

        /** How often a replica embeds passages that have no embedding and reloads its index when passages changed. */
        @WithDefault("5s")
        Duration interval();

        /** Passages embedded per call to the model (each answer row is up to 393 KB: 256 tokens x 384 floats). */
        @WithDefault("8")
        int batch();

        /** How long the embedder waits for a batch's embeddings. */
        @WithDefault("30s")
        Duration batchTimeout();

        /** Cosine similarity below which a passage is no meaning match (all-MiniLM-L6-v2: unrelated texts ~0-0.2). */
        @WithDefault("0.25")
        double minSimilarity();

        /**
         * In a hybrid answer, the share of the meaning's score (each ranking's scores divided by its best); the words
         * have the rest.
         */
        @WithDefault("0.6")
        double meaningWeight();

        /** How many of each ranking (words, meaning) are fused into an answer. */
        @WithDefault("50")
        int candidates();

        /** Question embeddings kept per replica (a repeated question asks no model). */
        @WithDefault("1000")
        int queryCacheSize();
    }
}
