package io.defensebuilders.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fallback when Redis is unreachable: the same two-bucket rule in this JVM's memory. Each replica then limits on
 * its own, so a fleet of N replicas admits up to N times the plan until Redis returns.
 */
final class LocalBuckets {

    private static final int MAX_BUCKETS = 100_000;

    private static final class Bucket {
        double tokens;
        long ts;

        Bucket(double tokens, long ts) {
            this.tokens = tokens;
            this.ts = ts;
        }

        double level(long now, double capacity, double perMs) {
            return Math.min(capacity, tokens + Math.max(0, now - ts) * perMs);
        }
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Same contract as the Lua script: {allowed, principal left, tenant left, wait ms}. */
    synchronized double[] take(String principalKey, String tenantKey, double pCap, double pRate, double tCap, double tRate) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear(); // a burst of distinct callers; starting over full errs on the side of admitting
        }
        long now = System.currentTimeMillis();
        Bucket p = buckets.computeIfAbsent(principalKey, k -> new Bucket(pCap, now));
        Bucket t = buckets.computeIfAbsent(tenantKey, k -> new Bucket(tCap, now));
        double pl = p.level(now, pCap, pRate);
        double tl = t.level(now, tCap, tRate);
        boolean allowed = pl >= 1 && tl >= 1;
        if (allowed) {
            pl -= 1;
            tl -= 1;
        }
        p.tokens = pl;
        p.ts = now;
        t.tokens = tl;
        t.ts = now;
        double wait = 0;
        if (!allowed) {
            wait = Math.max(pl < 1 ? Math.ceil((1 - pl) / pRate) : 0, tl < 1 ? Math.ceil((1 - tl) / tRate) : 0);
        }
        return new double[] { allowed ? 1 : 0, pl, tl, wait };
    }
}
