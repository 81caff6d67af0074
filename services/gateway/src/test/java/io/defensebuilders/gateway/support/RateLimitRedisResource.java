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

    /** Rate-limit scripts this Redis has run (EVALSHA and EVAL calls that did not fail), from INFO commandstats. */
    public static synchronized long scriptsRun() {
        return scriptsRun(port);
    }

    /** Scripts the Redis on {@code redisPort} has run (EVALSHA and EVAL calls that did not fail). */
    public static long scriptsRun(int redisPort) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", redisPort)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            int length = Integer.parseInt(in.readLine().substring(1)); // a bulk string: $<length>
            char[] body = new char[length];
            for (int read = 0; read < length;) {
                read += in.read(body, read, length - read);
            }
            long total = 0;
            for (String line : new String(body).split("\r\n")) {
                var m = java.util.regex.Pattern.compile("cmdstat_(evalsha|eval):calls=(\\d+).*failed_calls=(\\d+).*")
                        .matcher(line);
                if (m.matches()) {
                    total += Long.parseLong(m.group(2)) - Long.parseLong(m.group(3));
                }
            }
            return total;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // one per JVM
    }
}
