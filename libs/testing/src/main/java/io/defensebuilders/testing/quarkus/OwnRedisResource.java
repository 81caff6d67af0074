package io.defensebuilders.testing.quarkus;

import java.util.HashMap;
import java.util.Map;

import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.RedisServer;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.TempRoot;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis server of the test's own, shared with nothing else (not the JVM's other tests, not other services), so a
 * test may freeze it ({@link #pause()}, SIGSTOP) to see what the service does when Redis hangs. Points the Quarkus
 * Redis clients named in the init argument {@code clients} (comma-separated; {@code default} is the unnamed one) at
 * it. One server per JVM, removed when the JVM exits.
 */
public class OwnRedisResource implements QuarkusTestResourceLifecycleManager {

    private static RedisServer server;
    private String clients = "default";

    @Override
    public void init(Map<String, String> initArgs) {
        clients = initArgs.getOrDefault("clients", clients);
    }

    @Override
    public Map<String, String> start() {
        String url;
        synchronized (OwnRedisResource.class) {
            if (server == null) {
                server = RedisServer.start(TempRoot.create("dbp-own-redis-").resolve("redis"), Ports.free(), false, false);
            }
            url = server.url();
        }
        Map<String, String> config = new HashMap<>();
        for (String client : clients.split(",")) {
            String name = client.trim();
            config.put(name.equals("default") ? "quarkus.redis.hosts" : "quarkus.redis." + name + ".hosts", url);
        }
        return config;
    }

    private static synchronized RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("OwnRedisResource has not started: list it in the test's resources");
        }
        return server;
    }

    /** The server's process: {@link ServerProcess#pause()}, {@link ServerProcess#resume()}, signals. */
    public static ServerProcess process() {
        return server().process();
    }

    /** The server's port, for talking to it directly. */
    public static int port() {
        return server().port();
    }

    @Override
    public void stop() {
        // one per JVM; TempRoot removes its files and the process ends with the JVM
    }
}
