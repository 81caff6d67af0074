package io.defensebuilders.aitools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * GitHub's tarball download as a release delivery names it: the API answers {@code /repos/OWNER/NAME/tarball/TAG}
 * with a redirect to a download host (another port: another authority, as codeload.github.com is), which serves the
 * bytes. Real HTTP on loopback; {@link #requests()} shows what arrived where, with its Authorization header.
 */
final class FakeGitHub {

    /** One request: which server (api or download), its path and its Authorization header. */
    record Request(String server, String path, String authorization) {
    }

    private static FakeGitHub instance;
    private final HttpServer api;
    private final HttpServer download;
    private final Map<String, byte[]> tarballs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeGitHub() {
        try {
            api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            download = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        api.createContext("/repos/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                requests.add(new Request("api", path, exchange.getRequestHeaders().getFirst("Authorization")));
                String key = path.replaceFirst("^/repos/", "").replace("/tarball/", "@");
                AtomicInteger failing = failures.get(key);
                if (failing != null && failing.getAndDecrement() > 0) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                if (!tarballs.containsKey(key)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Location", downloadUrl() + "/" + key);
                exchange.sendResponseHeaders(302, -1);
            }
        });
        download.createContext("/", exchange -> {
            try (exchange) {
                String key = exchange.getRequestURI().getPath().substring(1);
                requests.add(new Request("download", exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization")));
                serve(exchange, tarballs.get(key));
            }
        });
        api.start();
        download.start();
    }

    static synchronized FakeGitHub get() {
        if (instance == null) {
            instance = new FakeGitHub();
        }
        return instance;
    }

    /** The API's base URL (what dbp.ai-tools.integrations.github-api-url names). */
    String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    private String downloadUrl() {
        return "http://127.0.0.1:" + download.getAddress().getPort();
    }

    /** Serves {@code bytes} as the tarball of {@code repository} at {@code tag}; its tarball_url. */
    String release(String repository, String tag, byte[] bytes) {
        tarballs.put(repository + "@" + tag, bytes);
        return apiUrl() + "/repos/" + repository + "/tarball/" + tag;
    }

    /** The next {@code times} API requests for the tarball answer 503. */
    void failNext(String repository, String tag, int times) {
        failures.put(repository + "@" + tag, new AtomicInteger(times));
    }

    List<Request> requests(String repository) {
        return requests.stream().filter(r -> r.path().contains(repository)).toList();
    }

    private static void serve(HttpExchange exchange, byte[] bytes) throws IOException {
        if (bytes == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-gzip");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
