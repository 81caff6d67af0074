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
 * streaming upload and download, slowness, failures (500) and unavailability (503), a connection closed under a
 * call, WebSocket echo. Routed at
 * /api/v1/stub, and with a breaker of 3 at /api/v1/flaky and at /api/v1/sturdy (whose bodies are limited to 1 MiB);
 * /api/v1/down goes to a port where nothing listens; /api/v1/replicated to two replicas, the first of them down;
 * /api/v1/rotating to two replicas whose readiness a test sets. gRPC service {@code dbp.test.Echo} is routed to
 * {@link GrpcStubUpstream}, and {@code dbp.test.Nowhere} to where /api/v1/down goes.
 */
public class StubUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private static Vertx vertx;
    private static HttpServer server;
    private static HttpServer second;
    private static HttpServer health;
    /** Ports of the /api/v1/rotating replicas whose readiness answers 503. */
    private static final java.util.Set<Integer> NOT_READY = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Calls to /hangup by key. */
    private static final Map<String, Integer> HANGUPS = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            vertx = Vertx.vertx();
            server = vertx.createHttpServer().requestHandler(request -> {
                // the same stub serves several routes: dispatch on the last path segment
                String path = request.path().replaceFirst("^/api/v1/[a-z]+/", "/api/v1/stub/");
                if (path.equals("/api/v1/stub/echo") || path.equals("/api/v1/stub/hooks/echo")) {
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
                } else if (path.equals("/api/v1/stub/hangup")) {
                    // closes the connection, unanswered, on the first `times` calls of a key (default 1):
                    // what a replica that stops does to a call on its way in
                    String key = request.getParam("key");
                    int seen = HANGUPS.merge(key, 1, Integer::sum);
                    int times = Integer.parseInt(java.util.Objects.requireNonNullElse(request.getParam("times"), "1"));
                    if (seen <= times) {
                        request.connection().close();
                    } else {
                        request.response().putHeader("content-type", "application/json")
                                .end(new JsonObject().put("attempts", seen).encode());
                    }
                } else if (path.equals("/api/v1/stub/attempts")) {
                    request.response().putHeader("content-type", "application/json").end(new JsonObject()
                            .put("attempts", HANGUPS.getOrDefault(request.getParam("key"), 0)).encode());
                } else if (path.equals("/api/v1/stub/whoami")) {
                    request.response().end(Integer.toString(request.localAddress().port()));
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
            // a second replica for /api/v1/rotating, and the readiness of both, which a test turns off and on
            second = vertx.createHttpServer().requestHandler(request -> request.response()
                    .end(Integer.toString(request.localAddress().port())));
            health = vertx.createHttpServer().requestHandler(request -> request.response()
                    .setStatusCode(NOT_READY.contains(Integer.parseInt(request.path().substring("/ready/".length())))
                            ? 503
                            : 200)
                    .end());
            try {
                for (HttpServer s : java.util.List.of(server, second, health)) {
                    s.listen(Ports.free(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return Map.ofEntries(Map.entry("dbp.gateway.routes.stub.prefixes", "/api/v1/stub"),
                Map.entry("dbp.gateway.routes.stub.url", "http://127.0.0.1:" + server.actualPort()),
                Map.entry("dbp.gateway.routes.stub.timeout", "1s"),
                Map.entry("dbp.gateway.routes.stub.open-prefixes", "/api/v1/stub/hooks"),
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
                // two replicas whose readiness the gateway asks every 100 ms
                Map.entry("dbp.gateway.routes.rotating.prefixes", "/api/v1/rotating"),
                Map.entry("dbp.gateway.routes.rotating.url", "http://127.0.0.1:" + server.actualPort()
                        + ",http://127.0.0.1:" + second.actualPort()),
                Map.entry("dbp.gateway.routes.rotating.health", "http://127.0.0.1:" + health.actualPort() + "/ready/"
                        + server.actualPort() + ",http://127.0.0.1:" + health.actualPort() + "/ready/" + second.actualPort()),
                Map.entry("dbp.gateway.routes.rotating.health-interval", "100ms"),
                // a gRPC service of the tests' own (GrpcStubUpstream)
                Map.entry("dbp.gateway.routes.grpcstub.prefixes", "/" + GrpcStubUpstream.SERVICE),
                Map.entry("dbp.gateway.routes.grpcstub.url", "http://127.0.0.1:" + GrpcStubUpstream.start()),
                Map.entry("dbp.gateway.routes.down.prefixes", "/api/v1/down,/dbp.test.Nowhere"),
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

    /** The ports of the two replicas of /api/v1/rotating. */
    public static java.util.List<Integer> rotatingReplicas() {
        return java.util.List.of(server.actualPort(), second.actualPort());
    }

    /** Makes the readiness of the /api/v1/rotating replica on {@code port} answer 200 or 503. */
    public static void ready(int port, boolean ready) {
        if (ready) {
            NOT_READY.remove(port);
        } else {
            NOT_READY.add(port);
        }
    }

    @Override
    public void stop() {
        // one per JVM; the JVM's exit closes it
    }
}
