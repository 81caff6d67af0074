package io.defensebuilders.registry.config;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.defensebuilders.platform.redis.GuardedRedis;
import io.defensebuilders.platform.redis.RedisGuardConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/** The registry's Redis client behind one guard ({@code dbp.redis.timeout}, {@code dbp.redis.retry}). */
@Singleton
public class RedisClient {

    @Produces
    @Singleton
    GuardedRedis guarded(Redis redis, Vertx vertx, RedisGuardConfig config, MeterRegistry meters) {
        return new GuardedRedis("default", redis, vertx, config.timeout(), config.retry(), meters);
    }

    void close(@Disposes GuardedRedis redis) {
        redis.close();
    }
}
