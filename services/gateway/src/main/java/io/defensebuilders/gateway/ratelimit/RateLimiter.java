package io.defensebuilders.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.auth.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Token-bucket rate limits in Redis: one Lua script per request checks and charges the caller's bucket (API key or
 * user) and the tenant's together, atomically, on Redis' clock. If Redis does not answer within
 * {@code dbp.gateway.rate-limit.redis-timeout}, local buckets decide instead; the switch is logged and counted, and
 * Redis is tried again every {@code redis-retry} until it answers, which ends the fallback by itself.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig config;
    private final LocalBuckets local = new LocalBuckets();
    private final String script;
    private final String sha;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicLong nextProbe = new AtomicLong();
    private final Counter fallbackDecisions;
    private final Counter fallbackSwitches;

    public RateLimiter(@RedisClientName("ratelimit") ReactiveRedisDataSource redis, GatewayConfig config,
            MeterRegistry meters) {
        this.redis = redis;
        this.config = config;
        this.script = load();
        this.sha = sha1(script);
        this.fallbackDecisions = Counter.builder("dbp.gateway.ratelimit.local.decisions")
                .description("rate-limit decisions taken by local buckets because Redis was unreachable").register(meters);
        this.fallbackSwitches = Counter.builder("dbp.gateway.ratelimit.local.fallbacks")
                .description("times the gateway switched to local rate-limit buckets").register(meters);
        meters.gauge("dbp.gateway.ratelimit.degraded", degraded, d -> d.get() ? 1 : 0);
    }

    public boolean degraded() {
        return degraded.get();
    }

    /** Checks and charges one request of {@code caller} under {@code planName}. */
    public Uni<Decision> check(Caller caller, String planName) {
        GatewayConfig.Plan plan = config.plans().get(planName);
        if (plan == null) {
            plan = config.plans().get(config.defaultPlan());
        }
        GatewayConfig.Plan limits = plan;
        String principalKey = "dbp:gateway:rl:p:" + caller.tenant() + ":" + caller.subject();
        String tenantKey = "dbp:gateway:rl:t:" + caller.tenant();
        double pRate = limits.principal().perMinute() / 60_000.0;
        double tRate = limits.tenant().perMinute() / 60_000.0;
        if (degraded.get() && System.currentTimeMillis() < nextProbe.get()) {
            return Uni.createFrom().item(localDecision(planName, limits, principalKey, tenantKey, pRate, tRate));
        }
        long ttl = (long) Math.ceil(Math.max(limits.principal().burst() / pRate, limits.tenant().burst() / tRate)) + 1000;
        return evalsha(principalKey, tenantKey, limits, pRate, tRate, ttl)
                .ifNoItem().after(config.rateLimit().redisTimeout()).fail()
                .map(r -> {
                    if (degraded.compareAndSet(true, false)) {
                        LOG.info("Redis answers again: rate limits are shared across gateway replicas again");
                    }
                    return new Decision(r.get(0).toInteger() == 1, planName, limits, Double.parseDouble(r.get(1).toString()),
                            Double.parseDouble(r.get(2).toString()), r.get(3).toLong(), false);
                })
                .onFailure().recoverWithItem(e -> {
                    nextProbe.set(System.currentTimeMillis() + config.rateLimit().redisRetry().toMillis());
                    if (degraded.compareAndSet(false, true)) {
                        fallbackSwitches.increment();
                        LOG.warnf("Redis is unreachable (%s): rate limits fall back to this replica's memory until it"
                                + " returns", e.toString());
                    }
                    return localDecision(planName, limits, principalKey, tenantKey, pRate, tRate);
                });
    }

    private Decision localDecision(String planName, GatewayConfig.Plan limits, String principalKey, String tenantKey,
            double pRate, double tRate) {
        fallbackDecisions.increment();
        double[] r = local.take(principalKey, tenantKey, limits.principal().burst(), pRate, limits.tenant().burst(), tRate);
        return new Decision(r[0] == 1, planName, limits, r[1], r[2], (long) r[3], true);
    }

    private Uni<Response> evalsha(String pKey, String tKey, GatewayConfig.Plan limits, double pRate, double tRate,
            long ttl) {
        String[] args = { "2", pKey, tKey, Integer.toString(limits.principal().burst()), Double.toString(pRate),
                Integer.toString(limits.tenant().burst()), Double.toString(tRate), Long.toString(ttl) };
        String[] withSha = new String[args.length + 1];
        withSha[0] = sha;
        System.arraycopy(args, 0, withSha, 1, args.length);
        return redis.execute("EVALSHA", withSha).onFailure(e -> String.valueOf(e.getMessage()).contains("NOSCRIPT"))
                .recoverWithUni(() -> {
                    String[] withScript = new String[args.length + 1];
                    withScript[0] = script;
                    System.arraycopy(args, 0, withScript, 1, args.length);
                    return redis.execute("EVAL", withScript);
                });
    }

    private static String load() {
        try (InputStream in = RateLimiter.class.getResourceAsStream("/ratelimit.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
