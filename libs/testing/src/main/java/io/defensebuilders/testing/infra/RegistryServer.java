package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image registry on loopback (Debian's {@code docker-registry}, the CNCF Distribution registry), for images
 * built without a Docker daemon (Jib) to be pushed to and read back from. Only where the package is installed:
 * .ci/run installs it; elsewhere {@link #binary()} is empty and the image build is skipped.
 */
public final class RegistryServer {

    private final ServerProcess process;
    private final int port;

    private RegistryServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code docker-registry} on the PATH (or /usr/bin), if installed. */
    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "docker-registry");
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts a registry on 127.0.0.1:{@code port} storing under {@code dataDir}. */
    public static RegistryServer start(Path binary, Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir.resolve("storage"));
            Path config = dataDir.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log: {level: warn}
                    storage:
                      filesystem: {rootdirectory: %s}
                      delete: {enabled: true}
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dataDir.resolve("storage"), port));
            ServerProcess process = ServerProcess.start("registry", List.of(binary.toString(), "serve", config.toString()),
                    dataDir.resolveSibling(dataDir.getFileName() + ".log"), dataDir.resolveSibling("registry.pid"),
                    Map.of(), false);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
            Wait.until(process, Duration.ofSeconds(30), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            return new RegistryServer(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** host:port, as image references name it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public void stop() {
        process.stop(Duration.ofSeconds(10));
    }
}
