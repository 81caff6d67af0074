package io.defensebuilders.gateway.ratelimit;

import io.defensebuilders.gateway.config.GatewayConfig;

/**
 * What the rate limiter decided for one request, with what the IETF RateLimit headers report: the remaining quota
 * of the tighter bucket and the seconds until it is full again.
 */
public record Decision(boolean allowed, String plan, GatewayConfig.Plan limits, double principalLeft, double tenantLeft,
        long retryAfterMillis, boolean local) {

    private static final java.util.Map<String, String> POLICIES = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code RateLimit-Policy}: both policies, quota per 60-second window (the same string for a plan, kept). */
    public String policyHeader() {
        return POLICIES.computeIfAbsent(plan, p -> "\"" + p + "-tenant\";q=" + limits.tenant().perMinute() + ";w=60, \""
                + p + "-principal\";q=" + limits.principal().perMinute() + ";w=60");
    }

    /** {@code RateLimit}: the policy closer to its limit, its remaining requests and seconds until refilled. */
    public String limitHeader() {
        boolean tenantTighter = tenantLeft / limits.tenant().burst() < principalLeft / limits.principal().burst();
        GatewayConfig.Limit limit = tenantTighter ? limits.tenant() : limits.principal();
        double left = Math.max(0, tenantTighter ? tenantLeft : principalLeft);
        double perSecond = limit.perMinute() / 60.0;
        long reset = (long) Math.ceil((limit.burst() - left) / perSecond);
        return "\"" + plan + (tenantTighter ? "-tenant" : "-principal") + "\";r=" + (long) Math.floor(left) + ";t="
                + Math.max(0, reset);
    }

    /** {@code Retry-After} in whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(retryAfterMillis / 1000.0));
    }
}
