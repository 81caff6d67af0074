package io.defensebuilders.aitools.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.config.AiToolsConfig;

/**
 * Per-tool rate limits: a token bucket per tenant and tool on this replica, holding a minute's calls and refilled
 * evenly over the minute (no burst at a window's edge). The gateway's plan limits already bound the tenant's whole
 * traffic across replicas; these keep one expensive tool, such as a screening, from taking all of it.
 */
@ApplicationScoped
public class ToolLimits {

    /** Calls left (fractions refill) as of {@code at} (nanoTime). */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final AiToolsConfig config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ToolLimits(AiToolsConfig config) {
        this.config = config;
    }

    /** Takes one call of {@code tool} for {@code tenant}; the seconds until one is free when none is, else 0. */
    public long take(String tenant, String tool) {
        int perMinute = config.mcp().toolLimits().getOrDefault(tool, config.mcp().callsPerMinute());
        long now = System.nanoTime();
        if (buckets.size() > 100_000) {
            // full buckets hold nothing a new one would not
            buckets.values().removeIf(b -> now - b.at > MINUTE_NANOS);
        }
        long[] wait = new long[1];
        buckets.compute(tenant + '\n' + tool, (key, b) -> {
            Bucket bucket = b == null ? new Bucket(perMinute, now) : b;
            bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * (double) perMinute / MINUTE_NANOS);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
            } else {
                wait[0] = (long) Math.ceil((1 - bucket.tokens) * 60.0 / perMinute);
            }
            return bucket;
        });
        return wait[0];
    }
}
