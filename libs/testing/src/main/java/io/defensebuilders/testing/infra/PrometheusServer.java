package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Prometheus server as a local process: the {@code prometheus} binary of the system (Debian's
 * {@code prometheus} package), with a configuration file the caller owns (the local runtime's
 * {@code deploy/grafana/prometheus.yml}, or a test's copy of it with the fleet's ports). There is no Maven-resolved
 * build of Prometheus, so callers check {@link #binary()} and go on without one where the package is not installed.
 */
public final class PrometheusServer {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServerProcess process;
    private final int port;

    private PrometheusServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * {@code DBP_PROMETHEUS}, else {@code prometheus} on the PATH; empty when neither is there or
     * {@code DBP_PROMETHEUS=off}.
     */
    public static Optional<Path> binary() {
        String configured = System.getenv("DBP_PROMETHEUS");
        if ("off".equals(configured)) {
            return Optional.empty();
        }
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "prometheus");
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code binary} with {@code config} on 127.0.0.1:{@code port}, its time series in {@code dataDir} (the
     * log and pid file beside it), and waits until it says it is ready ({@code /-/ready}).
     */
    public static PrometheusServer start(Path binary, Path config, Path dataDir, int port, boolean detached) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(binary.toString(), "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + dataDir.toAbsolutePath(), "--web.listen-address=127.0.0.1:" + port,
                // POST /-/reload after editing the configuration or the rules, without a restart
                "--web.enable-lifecycle",
                // the latency histograms' exemplars (a call's trace id), which the dashboards show as dots
                "--enable-feature=exemplar-storage", "--log.level=warn");
        ServerProcess process = ServerProcess.start("prometheus", command,
                dataDir.resolveSibling(dataDir.getFileName() + ".log"), pidFile(dataDir), Map.of(), detached);
        PrometheusServer server = new PrometheusServer(process, port);
        Wait.until(process, Duration.ofSeconds(60), () -> server.status("/-/ready") == 200);
        return server;
    }

    /** The Prometheus started earlier with {@code dataDir}, if it still runs. */
    public static Optional<ServerProcess> running(Path dataDir) {
        return ServerProcess.fromPidFile("prometheus", pidFile(dataDir),
                dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    private static Path pidFile(Path dataDir) {
        return dataDir.resolveSibling("prometheus.pid");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ServerProcess process() {
        return process;
    }

    /** The body of {@code GET /api/v1/query?query=promql} (an instant query, now): Prometheus' JSON envelope. */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The body of a GET of {@code pathAndQuery} (e.g. {@code /api/v1/targets}, {@code /api/v1/rules}). */
    public String get(String pathAndQuery) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public void stop() {
        process.stop(Duration.ofSeconds(15));
    }
}
