package io.defensebuilders.aitools.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
}
