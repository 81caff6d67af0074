package io.defensebuilders.gateway.config;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.defensebuilders.platform.redis.GuardedRedis;
import io.defensebuilders.platform.redis.RedisGuardConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.client.RedisClientName;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * The gateway's two Redis clients, each behind one guard shared by all its users: the default one (API keys,
 * memberships; {@code dbp.redis.timeout} and {@code retry}) and the rate limiter's ({@code ratelimit};
 * {@code dbp.gateway.rate-limit.redis-timeout} and {@code redis-retry}).
 */
@Singleton
public class RedisClients {

    private final GuardedRedis shared;
    private final GuardedRedis rateLimits;

    RedisClients(Redis redis, @RedisClientName("ratelimit") Redis rateLimitRedis, Vertx vertx, RedisGuardConfig guard,
            GatewayConfig config, MeterRegistry meters) {
        this.shared = new GuardedRedis("default", redis, vertx, guard.timeout(), guard.retry(), meters);
        this.rateLimits = new GuardedRedis("ratelimit", rateLimitRedis, vertx, config.rateLimit().redisTimeout(),
                config.rateLimit().redisRetry(), meters);
    }

    /** The default client: the API-key cache and its revocations, memberships. */
    public GuardedRedis shared() {
        return shared;
    }

    /** The rate limiter's client: buckets and failed-authentication counters. */
    public GuardedRedis rateLimits() {
        return rateLimits;
    }

    @PreDestroy
    void close() {
        shared.close();
        rateLimits.close();
    }
}
