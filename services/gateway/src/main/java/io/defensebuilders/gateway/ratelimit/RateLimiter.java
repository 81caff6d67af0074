package io.defensebuilders.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.config.RedisClients;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.redis.GuardedRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Token-bucket rate limits in Redis: the caller's bucket (API key or user) and the tenant's, checked and charged
 * together by one Lua script, atomically, on Redis' clock. A replica takes a small lease of tokens per caller (a
 * twentieth of a second of the caller's rate, at least one, at most {@value #MAX_LEASE}) and spends it locally, so a
 * busy caller costs one Redis call per lease rather than per request, made in the background when the lease is half
 * spent, so its calls do not wait for it; callers of small plans lease one token at a time and are limited exactly.
 * If Redis does not answer within {@code redis-timeout}, local buckets decide, and go on deciding without asking Redis
 * while its client is unavailable ({@link GuardedRedis}: logged, {@code dbp_redis_degraded{client="ratelimit"}}, a
 * PING every {@code redis-retry} ends the fallback by itself).
 */
@Singleton
public class RateLimiter {

    static final int MAX_LEASE = 200;
    /** Leases at least this large are renewed ahead, when half spent; smaller ones (small plans) only when empty. */
    static final int PREFETCH_MIN = 8;
    private static final long LEASE_MILLIS = 1000;

    /** Tokens a replica holds for one caller, and the bucket levels Redis reported when it leased them. */
    private static final class Lease {
        int tokens;
        long expires;
        double principalLeft;
        double tenantLeft;
        int lastGranted;
        Future<Void> refill;
    }

    private final GuardedRedis redis;
    private final GatewayConfig config;
    private final LocalBuckets local = new LocalBuckets();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final String script;
    private final String sha;
    private final Counter fallbackDecisions;

    public RateLimiter(RedisClients redis, GatewayConfig config, MeterRegistry meters) {
        this.redis = redis.rateLimits();
        this.config = config;
        this.script = load();
        this.sha = sha1(script);
        this.fallbackDecisions = Counter.builder("dbp.gateway.ratelimit.local.decisions")
                .description("rate-limit decisions taken by local buckets because Redis was unreachable").register(meters);
    }

    /** Checks and charges one request of {@code caller} under {@code planName}. */
    public Future<Decision> check(Caller caller, String planName) {
        return check(caller, planName, 3);
    }

    private Future<Decision> check(Caller caller, String planName, int attempts) {
        GatewayConfig.Plan plan = config.plans().get(planName);
        if (plan == null) {
            plan = config.plans().get(config.defaultPlan());
        }
        GatewayConfig.Plan limits = plan;
        String principalKey = "dbp:gateway:rl:p:" + caller.tenant() + ":" + caller.subject();
        String tenantKey = "dbp:gateway:rl:t:" + caller.tenant();
        if (!redis.available()) {
            return Future.succeededFuture(localDecision(planName, limits, principalKey, tenantKey));
        }
        if (leases.size() > 100_000) {
            leases.clear(); // many distinct callers; unspent tokens of the dropped leases are simply not used
        }
        Lease lease = leases.computeIfAbsent(principalKey, k -> new Lease());
        Future<Void> pending;
        synchronized (lease) {
            long now = System.currentTimeMillis();
            if (lease.tokens > 0 && lease.expires > now) {
                lease.tokens--;
                if (lease.refill == null && lease.lastGranted >= PREFETCH_MIN && lease.tokens <= lease.lastGranted / 2) {
                    // half spent: the next lease is asked for now, so this caller's calls do not wait for Redis
                    refill(lease, principalKey, tenantKey, limits);
                }
                return Future.succeededFuture(new Decision(true, planName, limits, lease.principalLeft + lease.tokens,
                        lease.tenantLeft + lease.tokens, 0, false));
            }
            pending = lease.refill != null ? lease.refill : refill(lease, principalKey, tenantKey, limits);
        }
        return pending.compose(ignored -> {
            synchronized (lease) {
                if (lease.tokens > 0) {
                    lease.tokens--;
                    return Future.succeededFuture(new Decision(true, planName, limits, lease.principalLeft + lease.tokens,
                            lease.tenantLeft + lease.tokens, 0, false));
                }
                if (lease.lastGranted > 0 && attempts > 1) {
                    // the buckets had tokens, but other requests of this caller spent the lease first: lease again
                    return check(caller, planName, attempts - 1);
                }
                long wait = Math.max(1, (long) Math.ceil((1 - Math.min(lease.principalLeft, lease.tenantLeft))
                        / Math.min(rate(limits.principal()), rate(limits.tenant()))));
                return Future.succeededFuture(new Decision(false, planName, limits, lease.principalLeft,
                        lease.tenantLeft, wait, false));
            }
        }, failure -> Future.succeededFuture(localDecision(planName, limits, principalKey, tenantKey)));
    }

    /**
     * One Redis call for a new lease; concurrent requests of the caller wait for it instead of calling too. Called
     * with the lease's lock held.
     */
    private Future<Void> refill(Lease lease, String principalKey, String tenantKey, GatewayConfig.Plan limits) {
        double pRate = rate(limits.principal());
        double tRate = rate(limits.tenant());
        int wanted = (int) Math.max(1, Math.min(MAX_LEASE, Math.min(limits.principal().perMinute(),
                limits.tenant().perMinute()) / 60.0 / 20.0));
        long ttl = (long) Math.ceil(Math.max(limits.principal().burst() / pRate, limits.tenant().burst() / tRate)) + 1000;
        Promise<Void> done = Promise.promise();
        // recorded before the call: its answer may arrive (and clear it) before evalsha even returns
        lease.refill = done.future();
        evalsha(principalKey, tenantKey, limits, pRate, tRate, ttl, wanted).onComplete(ar -> {
            synchronized (lease) {
                lease.refill = null;
                if (ar.succeeded()) {
                    Response r = ar.result();
                    long now = System.currentTimeMillis();
                    int granted = r.get(0).toInteger();
                    lease.tokens = (lease.expires > now ? lease.tokens : 0) + granted;
                    lease.lastGranted = granted;
                    lease.expires = now + LEASE_MILLIS;
                    lease.principalLeft = Double.parseDouble(r.get(1).toString());
                    lease.tenantLeft = Double.parseDouble(r.get(2).toString());
                }
            }
            if (ar.succeeded()) {
                done.complete();
            } else {
                done.fail(ar.cause());
            }
        });
        return done.future();
    }

    /**
     * Takes one token from each of two buckets, or none when either is empty: {granted (1 or 0), first left, second
     * left, ms until both have one}. Redis decides, or this replica's memory when Redis does not answer in time. For
     * counters that are not plans, such as failed authentications.
     */
    public Future<double[]> takeOne(String firstKey, int firstBurst, int firstPerMinute, String secondKey,
            int secondBurst, int secondPerMinute) {
        double firstRate = firstPerMinute / 60_000.0;
        double secondRate = secondPerMinute / 60_000.0;
        long ttl = (long) Math.ceil(Math.max(firstBurst / firstRate, secondBurst / secondRate)) + 1000;
        Object[] args = { "2", firstKey, secondKey, Integer.toString(firstBurst), Double.toString(firstRate),
                Integer.toString(secondBurst), Double.toString(secondRate), Long.toString(ttl), "1" };
        return evalsha(args).map(r -> new double[] { r.get(0).toInteger(), Double.parseDouble(r.get(1).toString()),
                Double.parseDouble(r.get(2).toString()), r.get(3).toLong() })
                .otherwise(e -> local.take(firstKey, secondKey, firstBurst, firstRate, secondBurst, secondRate));
    }

    private Decision localDecision(String planName, GatewayConfig.Plan limits, String principalKey, String tenantKey) {
        fallbackDecisions.increment();
        double[] r = local.take(principalKey, tenantKey, limits.principal().burst(), rate(limits.principal()),
                limits.tenant().burst(), rate(limits.tenant()));
        return new Decision(r[0] == 1, planName, limits, r[1], r[2], (long) r[3], true);
    }

    private static double rate(GatewayConfig.Limit limit) {
        return limit.perMinute() / 60_000.0;
    }

    private Future<Response> evalsha(String pKey, String tKey, GatewayConfig.Plan limits, double pRate, double tRate,
            long ttl, int wanted) {
        return evalsha(new Object[] { "2", pKey, tKey, Integer.toString(limits.principal().burst()), Double.toString(pRate),
                Integer.toString(limits.tenant().burst()), Double.toString(tRate), Long.toString(ttl),
                Integer.toString(wanted) });
    }

    private Future<Response> evalsha(Object[] args) {
        Request bySha = Request.cmd(Command.EVALSHA).arg(sha);
        Request byScript = Request.cmd(Command.EVAL).arg(script);
        for (Object a : args) {
            bySha.arg(a.toString());
            byScript.arg(a.toString());
        }
        return redis.send(bySha).recover(e -> String.valueOf(e.getMessage()).contains("NOSCRIPT") ? redis.send(byScript)
                : Future.failedFuture(e));
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
