package io.defensebuilders.platform.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * problem+json for what goes wrong outside the REST layer, on the router every service shares. Before anything reads
 * a request: an HTTP/1.1 request without a Host header is a 400 (RFC 9112 §3.2), a request target longer than
 * {@code dbp.http.max-uri-length} a 414, headers larger than {@code dbp.http.max-header-size} a 431 (the HTTP codec's
 * own limits sit higher, so these answers are problems too, not its bare status lines). After: any failure no other
 * handler answered is written as a problem in the API's own words instead of the framework's error page, whose JSON
 * form carries an error id and a stack field.
 *
 * <p>
 * Request targets: Quarkus' own check (before any handler: {@code java.net.URI} must parse the target, else an
 * empty 400) refuses what people type into curl unencoded, such as {@code ?range=^1}. With
 * {@code -Dvertx.disableURIValidation=true} (the local runtime, the tests and the images set it) that check is this
 * one's instead: the characters RFC 3986 does not allow in a target but that can only mean themselves
 * ({@code " < > \ ^ ` { | } [ ]} and a {@code %} that starts no escape) are percent-encoded and the call is routed
 * again with that target, so everything after sees a valid URI; a target that is still not one is a 400 problem
 * that says what to encode.
 */
@ApplicationScoped
public class RouteProblems {

    private static final Logger LOG = Logger.getLogger(RouteProblems.class);
    /** The JVM property that switches Quarkus' own check of request targets off (read once, at its start). */
    static final String QUARKUS_CHECKS_URIS = "vertx.disableURIValidation";
    /** Characters a URI may not hold unencoded that can only mean themselves where people type them. */
    private static final String ENCODABLE = "\"<>\\^`{|}[] ";

    private final long maxHeaderSize;
    private final int maxUriLength;
    private final long bodyIdleMillis;
    /** Whether the targets are this class's to check: when Quarkus checks them itself, a second parse is waste. */
    private final boolean checksTargets = Boolean.getBoolean(QUARKUS_CHECKS_URIS);

    RouteProblems(@ConfigProperty(name = "dbp.http.max-header-size", defaultValue = "16K") MemorySize maxHeaderSize,
            @ConfigProperty(name = "dbp.http.max-uri-length", defaultValue = "8192") int maxUriLength,
            @ConfigProperty(name = "dbp.http.body-idle-timeout", defaultValue = "60s") java.time.Duration bodyIdle) {
        this.maxHeaderSize = maxHeaderSize.asLongValue();
        this.maxUriLength = maxUriLength;
        this.bodyIdleMillis = bodyIdle.toMillis();
    }

    void install(@Observes Router router) {
        if (!checksTargets) {
            LOG.infof("request targets are checked by Quarkus itself: a target it cannot parse (such as ?range=^1 typed "
                    + "unencoded) gets an empty 400; start the JVM with -D%s=true to have them encoded instead",
                    QUARKUS_CHECKS_URIS);
        }
        router.route().order(Integer.MIN_VALUE).handler(this::checkHead);
        // after every other failure handler, before Quarkus' own error page (the last one)
        router.route().order(Integer.MAX_VALUE - 1).failureHandler(RouteProblems::failed);
    }

    private void checkHead(RoutingContext ctx) {
        var request = ctx.request();
        ProblemException refused = null;
        if (missingHost(request)) {
            refused = noHost();
        } else if (request.uri().length() > maxUriLength) {
            refused = new ProblemException(414, "uri-too-long", "The request URI is too long",
                    "request URIs are limited to " + maxUriLength + " characters", null);
        } else if (headerBytes(request.headers()) > maxHeaderSize) {
            refused = new ProblemException(431, "headers-too-large", "The request headers are too large",
                    "request headers are limited to " + maxHeaderSize + " bytes in all", null);
        }
        if (refused == null && checksTargets && !isUri(request.uri())) {
            String encoded = encoded(request.uri());
            if (encoded != null) {
                ctx.reroute(request.method(), encoded);
                return;
            }
            refused = ProblemException.badRequest("the request target is not a valid URI; percent-encode the "
                    + "characters URIs do not allow (e.g. ^ as %5E, | as %7C, a space as %20)");
        }
        if (refused != null) {
            ctx.response().putHeader("Connection", "close");
            write(ctx, refused, requestId(ctx));
            return;
        }
        if (bodyIdleMillis > 0 && !request.isEnded() && hasBody(request)) {
            watchBody(ctx);
        }
        ctx.next();
    }

    /**
     * {@code target} with the characters of {@link #ENCODABLE} and every {@code %} that starts no escape
     * percent-encoded, if that makes it a URI; else null.
     */
    static String encoded(String target) {
        StringBuilder out = new StringBuilder(target.length() + 16);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean escape = c == '%' && i + 2 < target.length() && hex(target.charAt(i + 1))
                    && hex(target.charAt(i + 2));
            if (ENCODABLE.indexOf(c) >= 0 || c == '%' && !escape) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                out.append(c);
            }
        }
        String result = out.toString();
        return isUri(result) ? result : null;
    }

    private static boolean hex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static boolean isUri(String target) {
        try {
            new java.net.URI(target);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean hasBody(io.vertx.core.http.HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return length != null && !length.equals("0") || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * A body that stops arriving for {@code dbp.http.body-idle-timeout} (a Content-Length larger than what is sent, a
     * chunked body without its last chunk, a trickle) is answered 408 and its connection closed, instead of holding
     * the connection, and whatever waits for the body, forever.
     */
    private void watchBody(RoutingContext ctx) {
        var request = ctx.request();
        long[] progress = { request.bytesRead(), System.nanoTime() };
        long timer = ctx.vertx().setPeriodic(Math.max(50, bodyIdleMillis / 4), id -> {
            if (request.isEnded() || ctx.response().ended()) {
                ctx.vertx().cancelTimer(id);
                return;
            }
            long read = request.bytesRead();
            long now = System.nanoTime();
            if (read != progress[0]) {
                progress[0] = read;
                progress[1] = now;
                return;
            }
            if (now - progress[1] < bodyIdleMillis * 1_000_000L) {
                return;
            }
            ctx.vertx().cancelTimer(id);
            if (ctx.response().headWritten()) {
                request.connection().close();
                return;
            }
            ctx.response().putHeader("Connection", "close");
            write(ctx, new ProblemException(408, "request-timeout", "The request body did not arrive in time",
                    "no part of the request body arrived for " + bodyIdleMillis + " ms", null), requestId(ctx));
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }

    private static boolean missingHost(io.vertx.core.http.HttpServerRequest request) {
        return request.version() == HttpVersion.HTTP_1_1 && request.getHeader("Host") == null;
    }

    private static ProblemException noHost() {
        return ProblemException.badRequest("an HTTP/1.1 request needs a Host header");
    }

    private static long headerBytes(io.vertx.core.MultiMap headers) {
        long total = 0;
        for (var header : headers) {
            total += header.getKey().length() + header.getValue().length() + 4;
        }
        return total;
    }

    private static void failed(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            ctx.request().connection().close();
            return;
        }
        Throwable failure = ctx.failure();
        String requestId = requestId(ctx);
        ProblemException problem;
        if (failure instanceof ProblemException p) {
            problem = p;
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            problem = new ProblemException(ProblemType.UNAUTHORIZED, "a valid bearer token is required");
        } else if (failure instanceof ForbiddenException) {
            problem = new ProblemException(ProblemType.FORBIDDEN, "your roles do not allow this operation");
        } else {
            int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
            if (status < 400 || status >= 500) {
                MDC.put(RequestIds.MDC_KEY, requestId);
                LOG.errorf(failure, "unexpected failure on %s %s", ctx.request().method(), ctx.normalizedPath());
                MDC.remove(RequestIds.MDC_KEY);
                problem = new ProblemException(status == 503 ? ProblemType.UNAVAILABLE : ProblemType.INTERNAL,
                        "an unexpected error occurred; quote request id " + requestId + " when reporting it");
            } else if (status == 400 && missingHost(ctx.request())) {
                // Vert.x Web refuses it itself, before any route (checkHead) sees it
                problem = noHost();
            } else {
                ProblemType type = ProblemType.forStatus(status);
                problem = new ProblemException(status, type.slug(), type.title(), type.title(), null);
            }
        }
        write(ctx, problem, requestId);
    }

    private static String requestId(RoutingContext ctx) {
        String given = ctx.request().getHeader(RequestIds.HEADER);
        return given != null && RequestIds.sane(given) ? given : java.util.UUID.randomUUID().toString();
    }

    /** Writes {@code e} as the answer: problem+json, with a Bearer challenge on a 401. */
    public static void write(RoutingContext ctx, ProblemException e, String requestId) {
        ctx.response().end(prepare(ctx, e, requestId));
    }

    /**
     * Sets the status and headers of {@code e}'s answer and returns its body, for a caller that does something between
     * knowing the answer and sending it (the gateway records the call's usage), then ends the response with it.
     */
    public static Buffer prepare(RoutingContext ctx, ProblemException e, String requestId) {
        Problem p = e.toProblem().withInstance(ctx.normalizedPath(), requestId);
        var response = ctx.response().setStatusCode(p.status()).putHeader("content-type", Problem.MEDIA_TYPE);
        if (requestId != null) {
            response.putHeader(RequestIds.HEADER, requestId);
        }
        if (p.status() == 401) {
            response.putHeader("www-authenticate", "Bearer");
        }
        if (p.retryAfter() != null) {
            response.putHeader("retry-after", p.retryAfter());
        }
        return JsonObject.mapFrom(p).toBuffer();
    }
}
