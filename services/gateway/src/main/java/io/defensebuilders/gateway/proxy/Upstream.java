package io.defensebuilders.gateway.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyOptions;

/**
 * One upstream service: a pooled HTTP client, the Vert.x reverse proxy that streams requests and responses through
 * it (WebSocket upgrades included), the service's body limit, a circuit breaker that turns an unavailable service
 * into quick 503s, and, for a service with replicas, which of them are ready to take calls.
 */
final class Upstream {

    private static final Logger LOG = Logger.getLogger(Upstream.class);

    final String name;
    final GatewayConfig.Route route;
    final Breaker breaker;
    /** Largest request body the upstream takes. */
    final long maxBodySize;
    private final Vertx vertx;
    private final UpstreamInterceptor interceptor;
    /** Where the replicas of the service listen; calls take them in turn. */
    private final List<RequestOptions> replicas;
    /** 1 for each replica in the rotation, 0 for one whose readiness says it is not (or did not answer in time). */
    private final AtomicIntegerArray ready;
    private final AtomicInteger nextReplica = new AtomicInteger();
    /** One client and proxy per event loop: a pooled connection is only ever used on the loop that owns it. */
    private final Map<EventLoop, HttpProxy> proxies = new ConcurrentHashMap<>();
    /** One HTTP/2 client per event loop for gRPC calls, for the same reason. */
    private final Map<EventLoop, HttpClient> grpcClients = new ConcurrentHashMap<>();
    /** {@link #handle}'s callback on its way to the exchange's {@link ProxyContext}, on the event loop's thread. */
    private static final ThreadLocal<Answered> HANDING_OVER = new ThreadLocal<>();
    private final MeterRegistry meters;
    /** {@code dbp.gateway.requests} of this upstream by status class (1xx to 5xx), each made when first needed. */
    private final Timer[] timers = new Timer[6];

    Upstream(Vertx vertx, String name, GatewayConfig.Route route, UpstreamInterceptor interceptor, MeterRegistry meters) {
        this.vertx = vertx;
        this.name = name;
        this.route = route;
        this.interceptor = interceptor;
        this.replicas = route.url().stream().map(url -> new RequestOptions().setHost(url.getHost())
                .setPort(url.getPort() > 0 ? url.getPort() : 80).setConnectTimeout(route.connectTimeout().toMillis()))
                .toList();
        this.breaker = new Breaker(route.breakerFailures(), route.breakerReset().toMillis());
        this.maxBodySize = route.maxBodySize().asLongValue();
        this.meters = meters;
        this.ready = new AtomicIntegerArray(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            ready.set(i, 1);
        }
        List<URI> health = route.health().orElse(List.of());
        if (!health.isEmpty() && health.size() != replicas.size()) {
            throw new IllegalArgumentException("dbp.gateway.routes." + name + ".health lists " + health.size()
                    + " readiness URLs for " + replicas.size() + " replicas in .url; give one per replica, in order");
        }
        if (replicas.size() > 1 && !health.isEmpty()) {
            watchReadiness(health);
        }
        Gauge.builder("dbp.gateway.upstream.replicas.ready", ready, Upstream::inRotation)
                .description("replicas of the upstream that calls go to").tag("upstream", name).register(meters);
    }

    /** Replicas in the rotation: ready, or all of them when none is. */
    private static double inRotation(AtomicIntegerArray ready) {
        int n = 0;
        for (int i = 0; i < ready.length(); i++) {
            n += ready.get(i);
        }
        return n == 0 ? ready.length() : n;
    }

    /**
     * Asks each replica's readiness every {@code healthInterval}: a replica answering anything but 200, or nothing
     * within the interval, leaves the rotation until it answers 200 again. One small client of its own, so a probe
     * never waits behind proxied calls for a connection.
     */
    private void watchReadiness(List<URI> health) {
        long interval = route.healthInterval().toMillis();
        HttpClient probes = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) interval)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
        vertx.setPeriodic(interval, interval, id -> {
            for (int i = 0; i < health.size(); i++) {
                int replica = i;
                URI uri = health.get(i);
                probes.request(new RequestOptions().setAbsoluteURI(uri.toString()).setIdleTimeout(interval))
                        .compose(request -> request.send().compose(response -> response.body()
                                .map(body -> response.statusCode())))
                        .onComplete(ar -> {
                            int now = ar.succeeded() && ar.result() == 200 ? 1 : 0;
                            if (ready.getAndSet(replica, now) != now) {
                                LOG.infof("%s replica %s %s the rotation", name, replicas.get(replica).getHost() + ":"
                                        + replicas.get(replica).getPort(), now == 1 ? "is back in" : "left");
                            }
                        });
            }
        });
    }

    /** The first replica from {@code replica} on (counting up, modulo their number) that is ready; itself if none is. */
    private int nextReady(int replica) {
        for (int i = 0; i < replicas.size(); i++) {
            if (ready.get(Math.floorMod(replica + i, replicas.size())) == 1) {
                return replica + i;
            }
        }
        return replica;
    }

    /**
     * Streams the request to the upstream and its answer back, on the calling event loop. A client shared by all
     * loops hands a request on loop A a connection owned by loop B, and every write and read then hops between the
     * two threads; a client per loop keeps each exchange on one thread.
     */
    void handle(HttpServerRequest request, Answered answered) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        HttpProxy proxy = proxies.computeIfAbsent(context.nettyEventLoop(), loop -> newProxy());
        // the proxy makes the exchange's context and calls the interceptor's handleProxyRequest before handle returns;
        // the interceptor takes the callback from here (a WebSocket upgrade never reaches it: the end handler then)
        HANDING_OVER.set(answered);
        try {
            proxy.handle(request);
        } finally {
            HANDING_OVER.remove();
        }
    }

    /** The callback {@link #handle} hands to the exchange it is starting on this thread, once; null after. */
    static Answered takeAnswered() {
        Answered answered = HANDING_OVER.get();
        HANDING_OVER.remove();
        return answered;
    }

    /**
     * Told once per exchange, just before the answer's last byte is written (the response's {@code end()}): its status
     * and the body's size. What is recorded here is in the journal before the caller can have the whole answer, so a
     * gateway killed right after answering has the call's usage event.
     */
    @FunctionalInterface
    interface Answered {
        void answered(int status, long bodyBytes);
    }

    private HttpProxy newProxy() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) route.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(route.maxConnections()));
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client)
                .origin(context -> originRequest(client, context));
        proxy.addInterceptor(interceptor.forUpstream(this));
        return proxy;
    }

    /** The duration timer for calls answered with {@code status}. */
    /** The latency SLO: calls answered within this count as good (docs/operations.md). */
    static final Duration LATENCY_OBJECTIVE = Duration.ofMillis(500);

    Timer timer(int status) {
        int statusClass = Math.min(5, Math.max(1, status / 100));
        Timer timer = timers[statusClass];
        if (timer == null) {
            // a race registers the same meter twice, and the registry hands back the one it has
            timer = Timer.builder("dbp.gateway.requests").description("proxied calls by upstream and status class")
                    .tag("upstream", name).tag("status", statusClass + "xx").publishPercentileHistogram()
                    // the latency SLO's threshold (deploy/prometheus/defense-builders.rules.yml), an exact bucket
                    .serviceLevelObjectives(LATENCY_OBJECTIVE).register(meters);
            timers[statusClass] = timer;
        }
        return timer;
    }

    boolean open() {
        return breaker.open();
    }

    /**
     * A connection to the upstream: to the next replica in turn, and when it cannot be made, to the one after it, up
     * to the route's retries (nothing of the request has been sent, so any method may move on). The route's timeout
     * is a wait for the upstream's answer, so it starts when the request body has been sent: an upload that takes
     * longer than the timeout is not cut off (Vert.x's idle timeout only counts bytes received).
     */
    private Future<HttpClientRequest> originRequest(HttpClient client, ProxyContext context) {
        Body body = context.request().getBody();
        boolean hasBody = body != null && (body.length() > 0
                || "chunked".equalsIgnoreCase(context.request().headers().get("Transfer-Encoding")));
        // a re-sent call (see Resend) starts at the replica after the one whose connection closed on it
        Integer closedOn = context.get(Resend.SENT_TO, Integer.class);
        int first = closedOn != null ? closedOn + 1 : nextReplica.getAndIncrement();
        return attempt(client, replica -> context.set(Resend.SENT_TO, replica), route.retries(), first).map(request -> {
            long timeout = route.timeout().toMillis();
            if (hasBody) {
                // no declared length to refuse up front (GatewayRoutes does that): count what streams through
                long max = body.length() < 0 ? maxBodySize : Long.MAX_VALUE;
                context.request().setBody(Body.body(new BodyStream(body.stream(), seen -> request.idleTimeout(timeout), max,
                        () -> context.set(BodyTooLarge.KEY, maxBodySize)), body.length()));
            } else {
                request.idleTimeout(timeout);
            }
            return request;
        });
    }

    /** A request on a connection to the first ready replica from {@code next} on; {@code sentTo} learns which. */
    private Future<HttpClientRequest> attempt(HttpClient client, IntConsumer sentTo, int retriesLeft, int next) {
        int replica = nextReady(next);
        // a copy: the client may keep what it is given, and the same options serve every event loop
        RequestOptions options = new RequestOptions(replicas.get(Math.floorMod(replica, replicas.size())));
        return client.request(options).onSuccess(request -> sentTo.accept(replica))
                .recover(e -> retriesLeft > 0 ? attempt(client, sentTo, retriesLeft - 1, replica + 1)
                        : Future.failedFuture(e));
    }

    /**
     * Relays a gRPC call ({@link GrpcRelay#isGrpc}) to the upstream over HTTP/2 without TLS (h2c with prior
     * knowledge, as gRPC speaks to a plaintext server), on the calling event loop's own client: one connection per
     * loop carries many calls at once.
     */
    void handleGrpc(HttpServerRequest request, Answered answered) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        HttpClient client = grpcClients.computeIfAbsent(context.nettyEventLoop(), loop -> vertx.createHttpClient(
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                        .setConnectTimeout((int) route.connectTimeout().toMillis()).setTcpNoDelay(true)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp2MaxSize(route.maxConnections())));
        GrpcRelay.relay(this, request, answered, () -> attempt(client, replica -> {
        }, route.retries(), nextReplica.getAndIncrement()));
    }

    /**
     * A call sent on a connection that then closed before any answer came: the replica stopped (a rolling restart
     * closes its idle kept-alive connections, and a request can be on its way on one of them at that moment), or
     * crashed. Nothing says whether it acted on the call; a call that is safe to repeat (GET, HEAD, OPTIONS without a
     * body, not a WebSocket upgrade) is sent once more, to the next replica, as HTTP lets a client do (RFC 9110
     * section 9.2.2); any other call gets the 503.
     */
    static final class Resend {
        /** The exchange's attachment: the replica (an index that counts up) its connection was made to. */
        static final String SENT_TO = "dbp.sent-to";
        /** The exchange's attachment that says it was re-sent already. */
        static final String DONE = "dbp.resent";

        private Resend() {
        }

        /** Whether {@code context}, whose exchange failed before any answer, may be sent again; marks it if so. */
        static boolean claim(ProxyContext context) {
            var request = context.request();
            var proxied = request.proxiedRequest();
            boolean safe = switch (proxied.method().name()) {
                case "GET", "HEAD", "OPTIONS" -> true;
                default -> false;
            };
            String length = proxied.getHeader("content-length");
            boolean bodyless = (length == null || length.trim().equals("0")) && proxied.getHeader("transfer-encoding") == null;
            if (!safe || !bodyless || proxied.getHeader("upgrade") != null || context.get(SENT_TO, Integer.class) == null
                    || context.get(DONE, Boolean.class) != null) {
                return false;
            }
            context.set(DONE, true);
            // the caller's request has been read to its end: the next attempt must not wait for a body
            request.setBody(null);
            return true;
        }
    }

    /** A body of no declared length grew past the route's limit while it streamed to the upstream. */
    static final class BodyTooLarge extends RuntimeException {
        /** The exchange's attachment that says its body was cut off at the limit. */
        static final String KEY = "dbp.body-too-large";

        BodyTooLarge(long limit) {
            super("request body over " + limit + " bytes", null, false, false);
        }
    }

    /**
     * Whether a failed exchange with the upstream ran out of time waiting for its answer (rather than finding no
     * connection, or losing it).
     */
    static boolean timedOut(Throwable failure) {
        return failure instanceof java.util.concurrent.TimeoutException
                || String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
    }

    /**
     * The gateway's answer when this service cannot take a call: 503 while the breaker is open ({@code failure} null)
     * or when no connection could be made or it broke, 504 when the answer did not come in time.
     */
    ProblemException unavailable(Throwable failure) {
        if (failure != null && timedOut(failure)) {
            return new ProblemException(504, ProblemType.UNAVAILABLE.slug(), "Upstream timeout",
                    "the " + name + " service did not answer in time", null);
        }
        return new ProblemException(ProblemType.UNAVAILABLE, failure == null
                ? "the " + name + " service is unavailable; calls are refused for a moment to let it recover"
                : "the " + name + " service cannot be reached");
    }

    /** The 413 for a body over {@code limit} bytes. */
    static ProblemException tooLarge(long limit) {
        return ProblemException.tooLarge("this service takes request bodies of at most " + limit + " bytes")
                .with("limitBytes", limit);
    }

    /**
     * A body on its way through the proxy, counted: runs {@code onEnd} with its size once it has been read to the end,
     * before the stream's own end handler (which ends the other side). The request's: the wait for the answer starts
     * then, and it stops at {@code max} bytes: past it, nothing more is forwarded, {@code onOverflow} runs and the
     * stream fails with {@link BodyTooLarge}, which resets the upstream request. The answer's: its usage is recorded
     * then ({@link Answered}).
     */
    static final class BodyStream implements ReadStream<Buffer> {
        private final ReadStream<Buffer> delegate;
        private final LongConsumer onEnd;
        private final long max;
        private final Runnable onOverflow;
        private long seen;
        private Handler<Throwable> exceptionHandler;

        BodyStream(ReadStream<Buffer> delegate, LongConsumer onEnd, long max, Runnable onOverflow) {
            this.delegate = delegate;
            this.onEnd = onEnd;
            this.max = max;
            this.onOverflow = onOverflow;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            exceptionHandler = handler;
            delegate.exceptionHandler(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            delegate.handler(handler == null ? null : chunk -> {
                if (seen > max) {
                    return;
                }
                seen += chunk.length();
                if (seen > max) {
                    delegate.pause();
                    onOverflow.run();
                    if (exceptionHandler != null) {
                        exceptionHandler.handle(new BodyTooLarge(max));
                    }
                    return;
                }
                handler.handle(chunk);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            delegate.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            if (seen <= max) {
                delegate.resume();
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            if (seen <= max) {
                delegate.fetch(amount);
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> handler) {
            delegate.endHandler(handler == null ? null : v -> {
                onEnd.accept(seen);
                handler.handle(v);
            });
            return this;
        }
    }
}
