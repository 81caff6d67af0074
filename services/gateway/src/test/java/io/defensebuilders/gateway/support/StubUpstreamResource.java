package io.defensebuilders.gateway.support;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.defensebuilders.testing.infra.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for any upstream service, to test what the proxy does with requests and responses: echo of headers,
 * streaming upload and download, slowness, failures (500) and unavailability (503), WebSocket echo. Routed at
 * /api/v1/stub, and with a breaker of 3 at /api/v1/flaky and at /api/v1/sturdy (whose bodies are limited to 1 MiB);
 * /api/v1/down goes to a port where nothing listens; /api/v1/replicated to two replicas, the first of them down.
 */
public class StubUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private static Vertx vertx;
    private static HttpServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            vertx = Vertx.vertx();
            server = vertx.createHttpServer().requestHandler(request -> {
                        // the same stub serves several routes: dispatch on the last path segment
                        String path = request.path().replaceFirst("^/api/v1/[a-z]+/", "/api/v1/stub/");
                        if (path.equals("/api/v1/stub/echo")) {
                            JsonObject headers = new JsonObject();
                            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                            request.response().putHeader("content-type", "application/json")
                                    .end(new JsonObject().put("method", request.method().name()).put("path", request.uri())
                                            .put("headers", headers).encode());
                        } else if (path.equals("/api/v1/stub/upload")) {
                            MessageDigest sha = sha256();
                            long[] count = { 0 };
                            request.handler(chunk -> {
                                count[0] += chunk.length();
                                sha.update(chunk.getBytes());
                            });
                            request.endHandler(v -> request.response().putHeader("content-type", "application/json")
                                    .end(new JsonObject().put("bytes", count[0])
                                            .put("sha256", HexFormat.of().formatHex(sha.digest())).encode()));
                        } else if (path.equals("/api/v1/stub/download")) {
                            long size = Long.parseLong(request.getParam("size"));
                            var response = request.response().putHeader("content-length", Long.toString(size));
                            byte[] chunk = new byte[64 * 1024];
                            for (int i = 0; i < chunk.length; i++) {
                                chunk[i] = (byte) (i % 251);
                            }
                            writeChunks(response, chunk, size);
                        } else if (path.equals("/api/v1/stub/slow")) {
                            long ms = Long.parseLong(request.getParam("ms"));
                            vertx.setTimer(ms, id -> request.response().end("slow"));
                        } else if (path.equals("/api/v1/stub/fail")) {
                            request.response().setStatusCode(500).end("boom");
                        } else if (path.equals("/api/v1/stub/unavailable")) {
                            request.response().setStatusCode(503).end("down for maintenance");
                        } else if (path.equals("/api/v1/stub/ws")) {
                            // upgraded explicitly: with a webSocketHandler instead, this stub answered the proxied
                            // upgrade (headers intact) with its plain 404 when other ProxyTest cases ran first
                            request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage));
                        } else {
                            request.response().setStatusCode(404).end();
                        }
                    });
            try {
                server.listen(Ports.free(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return Map.ofEntries(Map.entry("dbp.gateway.routes.stub.prefixes", "/api/v1/stub"),
                Map.entry("dbp.gateway.routes.stub.url", "http://127.0.0.1:" + server.actualPort()),
                Map.entry("dbp.gateway.routes.stub.timeout", "1s"),
                Map.entry("dbp.gateway.routes.stub.breaker-failures", "1000"),
                Map.entry("dbp.gateway.routes.stub.max-body-size", "300M"),
                Map.entry("dbp.gateway.routes.flaky.prefixes", "/api/v1/flaky"),
                Map.entry("dbp.gateway.routes.flaky.url", "http://127.0.0.1:" + server.actualPort()),
                Map.entry("dbp.gateway.routes.flaky.breaker-failures", "3"),
                Map.entry("dbp.gateway.routes.flaky.breaker-reset", "30s"),
                // the same breaker settings, for what must not open it
                Map.entry("dbp.gateway.routes.sturdy.prefixes", "/api/v1/sturdy"),
                Map.entry("dbp.gateway.routes.sturdy.url", "http://127.0.0.1:" + server.actualPort()),
                Map.entry("dbp.gateway.routes.sturdy.breaker-failures", "3"),
                Map.entry("dbp.gateway.routes.sturdy.breaker-reset", "30s"),
                Map.entry("dbp.gateway.routes.sturdy.max-body-size", "1M"),
                // two replicas, one of them down (restarting): every call must reach the other
                Map.entry("dbp.gateway.routes.replicated.prefixes", "/api/v1/replicated"),
                Map.entry("dbp.gateway.routes.replicated.url", "http://127.0.0.1:" + Ports.free() + ",http://127.0.0.1:"
                        + server.actualPort()),
                Map.entry("dbp.gateway.routes.replicated.breaker-failures", "3"),
                Map.entry("dbp.gateway.routes.down.prefixes", "/api/v1/down"),
                Map.entry("dbp.gateway.routes.down.url", "http://127.0.0.1:" + Ports.free()));
    }

    private static void writeChunks(io.vertx.core.http.HttpServerResponse response, byte[] chunk, long remaining) {
        while (remaining > 0 && !response.writeQueueFull()) {
            int n = (int) Math.min(chunk.length, remaining);
            response.write(Buffer.buffer(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n)));
            remaining -= n;
        }
        if (remaining == 0) {
            response.end();
            return;
        }
        long left = remaining;
        response.drainHandler(v -> writeChunks(response, chunk, left));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // one per JVM; the JVM's exit closes it
    }
}
