package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Redis server as a local process: {@code redis-server} from the system (Debian's package) when installed,
 * else the Linux build shipped in the embedded-redis jar that Maven resolved for libs/testing.
 */
public final class RedisServer {

    private static final String EMBEDDED_JAR = "embedded-redis-";
    private static final String EMBEDDED_BINARY = "redis-server-6.2.6-v5-linux-amd64";

    private final ServerProcess process;
    private final int port;

    private RedisServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Redis on {@code port} with its files in {@code dataDir}; {@code durable} keeps an append-only file. */
    public static RedisServer start(Path dataDir, int port, boolean durable, boolean detached) {
        return start(binary(), dataDir, port, durable, detached);
    }

    static RedisServer start(Path binary, Path dataDir, int port, boolean durable, boolean detached) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dataDir.toString(), "--daemonize", "no", "--protected-mode", "no",
                "--save", ""));
        command.addAll(durable ? List.of("--appendonly", "yes", "--appendfsync", "everysec")
                : List.of("--appendonly", "no"));
        ServerProcess process = ServerProcess.start("redis", command,
                dataDir.resolveSibling(dataDir.getFileName() + ".log"), dataDir.resolveSibling("redis.pid"), Map.of(),
                detached);
        Wait.until(process, Duration.ofSeconds(30), () -> ping("127.0.0.1", port));
        return new RedisServer(process, port);
    }

    public static Optional<ServerProcess> running(Path dataDir) {
        return ServerProcess.fromPidFile("redis", dataDir.resolveSibling("redis.pid"),
                dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    /** {@code DBP_REDIS_SERVER}, else {@code redis-server} on the PATH, else the Maven-resolved build. */
    static Path binary() {
        String configured = System.getenv("DBP_REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return bundledBinary();
    }

    static Path bundledBinary() {
        Path jar = InfraArtifacts.jar(EMBEDDED_JAR);
        return Extract.executableFromJar(jar, EMBEDDED_BINARY, Extract.cacheRoot().resolve(EMBEDDED_BINARY),
                "redis-server");
    }

    /** Sends PING over the Redis protocol; true on +PONG. */
    static boolean ping(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, 7);
            return n == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public ServerProcess process() {
        return process;
    }

    public void stop() {
        process.stop(Duration.ofSeconds(15));
    }
}
