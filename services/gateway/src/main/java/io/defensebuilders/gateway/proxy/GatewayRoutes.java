package io.defensebuilders.gateway.proxy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.gateway.FastUuid;
import io.defensebuilders.gateway.auth.ApiKeyAuthenticationMechanism;
import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.auth.AuthThrottle;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.ratelimit.Decision;
import io.defensebuilders.gateway.ratelimit.RateLimiter;
import io.defensebuilders.gateway.service.ApiKeyService;
import io.defensebuilders.gateway.service.TenantPlans;
import io.defensebuilders.gateway.token.InternalTokens;
import io.defensebuilders.gateway.usage.AccessLog;
import io.defensebuilders.gateway.usage.UsageRecorder;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.RoleHierarchyAugmentor;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.defensebuilders.platform.web.RequestIds;
import io.defensebuilders.platform.web.RouteProblems;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The public door for every service prefix in {@code dbp.gateway.routes}: authenticate (API key or IdP token), apply
 * the tenant's rate limits, swap the caller's credential for a freshly minted internal JWT, and stream the exchange
 * to the upstream. Afterwards: an access-log line and a usage event, neither on the request's critical path.
 * <p>
 * Calls with an API key are taken before any of Quarkus' own route handlers (authentication, authorization, OIDC
 * metadata, RESTEasy's request setup, body-size check), none of which they need: the gateway checks the key, the
 * body size and the limits itself. Calls with any other credential, or none, go through Quarkus' chain as usual,
 * to the same handler at the default order, so IdP tokens are verified by quarkus-oidc.
 * <p>
 * gRPC calls (HTTP/2, {@code application/grpc}) take the same steps, by the path of their method
 * ({@code /inference.GRPCInferenceService/ModelInfer}), and are relayed by {@link GrpcRelay}; what the gateway refuses
 * them is a gRPC status.
 */
@ApplicationScoped
public class GatewayRoutes {

    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);
    // credentials and tenant selectors of the public side, never forwarded
    /** The MCP endpoint (ai-tools), whose 401s name its protected resource metadata. */
    private static final String MCP = "/mcp";
    /** Tenant and subject prefix of a call to an open path. */
    private static final String ANONYMOUS = "anonymous:";
    private static final List<String> STRIPPED = List.of("authorization", "x-api-key", "cookie", "x-dbp-tenant");

    private final GatewayConfig config;
    private final UpstreamInterceptor interceptor;
    private final RateLimiter rateLimiter;
    private final TenantPlans plans;
    private final InternalTokens tokens;
    private final UsageRecorder usage;
    private final AccessLog accessLog;
    private final MeterRegistry meters;
    private final ApiKeyService apiKeys;
    private final AuthThrottle throttle;
    private final List<Map.Entry<String, Upstream>> table = new ArrayList<>();
    /** Paths that take calls without a credential (signed webhook deliveries), see Route.openPrefixes. */
    private final List<String> open = new ArrayList<>();
    private final Map<String, Caller> keyCallers = new java.util.concurrent.ConcurrentHashMap<>();

    public GatewayRoutes(GatewayConfig config, UpstreamInterceptor interceptor, RateLimiter rateLimiter,
            TenantPlans plans, InternalTokens tokens, UsageRecorder usage, AccessLog accessLog, MeterRegistry meters,
            ApiKeyService apiKeys, AuthThrottle throttle) {
        this.apiKeys = apiKeys;
        this.throttle = throttle;
        this.config = config;
        this.interceptor = interceptor;
        this.rateLimiter = rateLimiter;
        this.plans = plans;
        this.tokens = tokens;
        this.usage = usage;
        this.accessLog = accessLog;
        this.meters = meters;
    }

    void register(@Observes Router router, Vertx vertx) {
        config.routes().forEach((name, route) -> {
            Upstream upstream = new Upstream(vertx, name, route, interceptor, meters);
            for (String prefix : route.prefixes()) {
                String clean = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
                table.add(Map.entry(clean, upstream));
            }
            for (String prefix : route.openPrefixes().orElse(List.of())) {
                open.add(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
            }
            for (String prefix : route.prefixes()) {
                String clean = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
                for (String path : List.of(clean, clean + "/*")) {
                    // right after the Host check (RouteProblems), before any of Quarkus' handlers
                    router.route(path).order(Integer.MIN_VALUE + 1).handler(this::handleApiKey);
                    router.route(path).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
                }
            }
        });
        table.sort(Comparator.comparing((Map.Entry<String, Upstream> e) -> e.getKey().length()).reversed());
        LOG.infof("routing %s", table.stream().map(e -> e.getKey() + " -> " + e.getValue().route.url()).toList());
    }

    /**
     * First in the router: a call with an API key, or to an open path, is handled here; anything else goes on to
     * Quarkus' handlers (an IdP token's verification).
     */
    private void handleApiKey(RoutingContext ctx) {
        if (ApiKeyAuthenticationMechanism.presented(ctx) == null && !isOpen(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        handle(ctx);
    }

    /** Whether a declared body is larger than {@code max}; an unparsable length is refused by the HTTP codec itself. */
    private static boolean tooLarge(String contentLength, long max) {
        try {
            return contentLength != null && Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        long started = System.nanoTime();
        String given = request.getHeader(RequestIds.HEADER);
        String requestId = given != null && RequestIds.sane(given) ? given : FastUuid.next().toString();
        Upstream upstream = match(ctx.normalizedPath());
        if (upstream == null) {
            finish(ctx, ProblemException.notFound("nothing at " + ctx.normalizedPath()), requestId);
            return;
        }
        if (tooLarge(request.getHeader(HttpHeaders.CONTENT_LENGTH), upstream.maxBodySize)) {
            // refused before anything is read or forwarded; the rest of the body is not read either (an HTTP/2
            // stream is reset instead: the connection carries other calls, and has no Connection header)
            if (request.version() != HttpVersion.HTTP_2) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            finish(ctx, Upstream.tooLarge(upstream.maxBodySize), requestId);
            return;
        }
        ctx.response().putHeader(RequestIds.HEADER, requestId);
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        // Vert.x futures on the hot path, without the context propagation of Mutiny and CompletionStages
        boolean unsigned = isOpen(ctx.normalizedPath());
        (unsigned ? Future.succeededFuture(anonymous(ctx)) : caller(ctx)).compose(caller -> (unsigned
                ? Future.succeededFuture(config.unsignedPlan())
                : plans.planOfFuture(caller.tenant()))
                .compose(plan -> rateLimiter.check(caller, plan))
                .map(decision -> Map.entry(caller, decision)))
                .onComplete(ar -> onRequestLoop(context, () -> {
                    if (ar.succeeded()) {
                        forward(ctx, upstream, ar.result().getKey(), ar.result().getValue(), requestId, started);
                    } else {
                        fail(ctx, ar.cause(), requestId);
                    }
                }));
    }

    /**
     * Runs {@code action} on the request's event loop. A step answered by Redis or the database completes on the
     * loop of that client's connection; continuing there would make every read and write of the exchange hop between
     * two threads, so the call goes back to its own loop once.
     */
    private static void onRequestLoop(ContextInternal context, Runnable action) {
        if (context.nettyEventLoop().inEventLoop()) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /**
     * The caller: API keys take a direct path (the same verification as the REST endpoints' mechanism, without the
     * security framework's per-request machinery); IdP tokens go through quarkus-oidc and the identity mapping.
     */
    private Future<Caller> caller(RoutingContext ctx) {
        String presented = ApiKeyAuthenticationMechanism.presented(ctx);
        String address = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
        if (presented != null) {
            // parsed once, for the throttle and the verification
            Optional<ApiKeyCodec.Presented> parsed = ApiKeyCodec.parse(presented);
            String keyId = parsed.map(ApiKeyCodec.Presented::id).orElse(null);
            long wait = throttle.retryAfterSeconds(address, keyId);
            if (wait > 0) {
                return Future.failedFuture(throttled(wait));
            }
            Future<Optional<ApiKey>> verified = parsed.isEmpty() ? Future.succeededFuture(Optional.empty())
                    : apiKeys.verifyFuture(parsed.get());
            return verified.compose(found -> {
                if (found.isEmpty()) {
                    return throttle.failed(address, keyId).transform(counted -> Future.<Caller> failedFuture(
                            new AuthenticationFailedException("unknown, expired or revoked API key")));
                }
                ApiKey key = found.get();
                throttle.succeeded(address, key.id());
                // a key's tenant and roles never change, so its caller is made once
                if (keyCallers.size() > 100_000) {
                    keyCallers.clear();
                }
                return Future.succeededFuture(keyCallers.computeIfAbsent(key.id(), id -> new Caller(key.tenantId(),
                        "key:" + id, RoleHierarchyAugmentor.expand(key.roles()))));
            });
        }
        boolean credential = ctx.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
        long wait = credential ? throttle.retryAfterSeconds(address, null) : 0;
        if (wait > 0) {
            return Future.failedFuture(throttled(wait));
        }
        return Future.fromCompletionStage(QuarkusHttpUser.getSecurityIdentity(ctx, null).map(TenantContext::callerOf)
                .subscribeAsCompletionStage()).recover(
                        e -> credential && unauthenticated(e)
                                ? throttle.failed(address, null).transform(counted -> Future.failedFuture(e))
                                : Future.failedFuture(e));
    }

    /** Whether {@code path} takes calls without a credential (a signed webhook delivery). */
    private boolean isOpen(String path) {
        for (String prefix : open) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller of an open path: no tenant and no roles; its own client address is its rate-limit tenant, so one
     * sender's flood does not slow another's deliveries.
     */
    private static Caller anonymous(RoutingContext ctx) {
        String address = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
        return new Caller(ANONYMOUS + address, ANONYMOUS + address, java.util.Set.of());
    }

    /** A credential that did not authenticate: refused by the IdP's verification, or an anonymous caller after all. */
    private static boolean unauthenticated(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof AuthenticationFailedException
                || cause instanceof ProblemException problem && problem.status() == 401;
    }

    private static ProblemException throttled(long seconds) {
        return new ProblemException(ProblemType.TOO_MANY_REQUESTS, "too many failed authentications; retry in "
                + seconds + " s").with(Problem.RETRY_AFTER_SECONDS, seconds);
    }

    private void forward(RoutingContext ctx, Upstream upstream, Caller caller, Decision decision, String requestId,
            long started) {
        var response = ctx.response();
        if (config.rateLimit().enabled()) {
            response.putHeader("RateLimit-Policy", decision.policyHeader());
            response.putHeader("RateLimit", decision.limitHeader());
            if (!decision.allowed()) {
                response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
                ProblemException limited = new ProblemException(ProblemType.TOO_MANY_REQUESTS, "rate limit of plan '"
                        + decision.plan() + "' reached; retry in " + decision.retryAfterSeconds() + " s");
                if (GrpcRelay.isGrpc(ctx.request())) {
                    GrpcRelay.refuse(ctx.request(), (status, bytes) -> record(ctx, upstream, caller, requestId, started,
                            status, bytes), limited);
                    return;
                }
                Buffer body = RouteProblems.prepare(ctx, limited, requestId);
                // recorded before the answer goes, as every call is (see Upstream.Answered)
                record(ctx, upstream, caller, requestId, started, ProblemType.TOO_MANY_REQUESTS.status(), body.length());
                ctx.request().resume();
                response.end(body);
                return;
            }
        }
        HttpServerRequest request = ctx.request();
        var headers = request.headers();
        STRIPPED.forEach(headers::remove);
        if (!caller.tenant().startsWith(ANONYMOUS)) {
            headers.set(HttpHeaders.AUTHORIZATION, tokens.authorization(caller, requestId));
        }
        headers.set(RequestIds.HEADER, requestId);
        headers.set("X-Forwarded-Proto", request.scheme());
        headers.set("X-Forwarded-Host", String.valueOf(request.authority()));
        headers.set("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
        // recorded once: just before the answer's end when it passes the proxy's interceptor (nearly every call), else
        // when the response has ended (a WebSocket upgrade, an answer the proxy makes alone)
        boolean[] recorded = new boolean[1];
        Upstream.Answered answered = (status, bytes) -> {
            if (!recorded[0]) {
                recorded[0] = true;
                record(ctx, upstream, caller, requestId, started, status, bytes);
            }
        };
        ctx.addEndHandler(done -> answered.answered(ctx.response().getStatusCode(), ctx.response().bytesWritten()));
        if ("websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            // the proxy turns this connection into a raw socket after the 101 and never resumes it itself; the
            // handshake has no body, so nothing is lost by resuming now
            request.resume();
        }
        if (GrpcRelay.isGrpc(request)) {
            upstream.handleGrpc(request, answered);
        } else {
            upstream.handle(request, answered);
        }
    }

    /**
     * The call's duration, access-log line and usage event. Runs before the answer's last byte is written, so that
     * a gateway killed at any moment after a caller had its whole answer has the event in its journal.
     */
    private void record(RoutingContext ctx, Upstream upstream, Caller caller, String requestId, long started,
            int status, long out) {
        long nanos = System.nanoTime() - started;
        upstream.timer(status).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        long in = ctx.request().bytesRead();
        accessLog.log(requestId, ctx.request().method().name(), ctx.normalizedPath(), status, nanos / 1_000_000.0, in, out,
                caller.tenant(), caller.subject(), upstream.name);
        if (caller.tenant().startsWith(ANONYMOUS)) {
            return; // no tenant to meter: the receiver meters what the delivery does
        }
        usage.apiCall(caller.tenant(), caller.subject(), upstream.name, ctx.request().method().name(), status, in, out,
                requestId, Instant.now());
    }

    private void fail(RoutingContext ctx, Throwable failure, String requestId) {
        if (failure instanceof AuthenticationFailedException) {
            finish(ctx, new ProblemException(ProblemType.UNAUTHORIZED,
                    "a valid API key or bearer token is required (missing, expired, revoked or not trusted)"), requestId);
        } else if (failure instanceof ProblemException problem) {
            finish(ctx, problem, requestId);
        } else {
            MDC.put(RequestIds.MDC_KEY, requestId);
            LOG.errorf(failure, "gateway failure on %s %s", ctx.request().method(), ctx.normalizedPath());
            MDC.remove(RequestIds.MDC_KEY);
            finish(ctx, new ProblemException(ProblemType.INTERNAL,
                    "an unexpected error occurred; quote request id " + requestId + " when reporting it"), requestId);
        }
    }

    private void finish(RoutingContext ctx, ProblemException problem, String requestId) {
        if (ctx.response().ended()) {
            return;
        }
        if (GrpcRelay.isGrpc(ctx.request())) {
            GrpcRelay.refuse(ctx.request(), null, problem);
            return;
        }
        ctx.request().resume();
        Buffer body = RouteProblems.prepare(ctx, problem, requestId);
        String path = ctx.normalizedPath();
        if (problem.status() == 401 && (path.equals(MCP) || path.startsWith(MCP + "/"))) {
            // an MCP client finds the identity providers it may sign in with here (MCP authorization, RFC 9728)
            ctx.response().putHeader("www-authenticate", "Bearer resource_metadata=\""
                    + config.publicBase(ctx.request()) + "/.well-known/oauth-protected-resource"
                    + MCP + "\"");
        }
        ctx.response().end(body);
    }

    private Upstream match(String path) {
        for (Map.Entry<String, Upstream> e : table) {
            String prefix = e.getKey();
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return e.getValue();
            }
        }
        return null;
    }

}
