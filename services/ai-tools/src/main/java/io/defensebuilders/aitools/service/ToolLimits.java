package io.defensebuilders.aitools.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.config.AiToolsConfig;

/**
 * Per-tool rate limits: calls a tenant makes to one tool in the current minute, on this replica (the gateway's plan
 * limits already bound the tenant's whole traffic across replicas; these keep one expensive tool, such as a
 * screening, from taking all of it).
 */
@ApplicationScoped
public class ToolLimits {

    private record Window(long minute, AtomicInteger calls) {
    }

    private final AiToolsConfig config;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public ToolLimits(AiToolsConfig config) {
        this.config = config;
    }

    /** Takes one call of {@code tool} for {@code tenant}; the seconds to wait when the minute's calls are used up, else 0. */
    public long take(String tenant, String tool) {
        long now = System.currentTimeMillis();
        long minute = now / 60_000;
        int limit = config.mcp().toolLimits().getOrDefault(tool, config.mcp().callsPerMinute());
        if (windows.size() > 100_000) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        Window window = windows.compute(tenant + '\n' + tool,
                (k, w) -> w == null || w.minute() != minute ? new Window(minute, new AtomicInteger()) : w);
        if (window.calls().incrementAndGet() <= limit) {
            return 0;
        }
        return Math.max(1, ((minute + 1) * 60_000 - now + 999) / 1000);
    }
}
