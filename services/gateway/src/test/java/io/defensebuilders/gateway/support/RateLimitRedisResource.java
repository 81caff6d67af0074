package io.defensebuilders.gateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.RedisServer;
import io.defensebuilders.testing.infra.TempRoot;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis of its own for the rate limiter, so a test can stop it and start it again on the same port to see the
 * gateway fall back to local buckets and recover, without disturbing the Redis everything else uses.
 */
public class RateLimitRedisResource implements QuarkusTestResourceLifecycleManager {

    private static Path dir;
    private static int port;
    private static RedisServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            dir = TempRoot.create("dbp-ratelimit-redis-");
            port = Ports.free();
            server = RedisServer.start(dir.resolve("redis"), port, false, false);
        }
        return Map.of("quarkus.redis.ratelimit.hosts", "redis://127.0.0.1:" + port);
    }

    public static synchronized void stopRedis() {
        server.stop();
    }

    public static synchronized void startRedis() {
        try {
            Files.createDirectories(dir.resolve("redis"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server = RedisServer.start(dir.resolve("redis"), port, false, false);
    }

    @Override
    public void stop() {
        // one per JVM
    }
}
