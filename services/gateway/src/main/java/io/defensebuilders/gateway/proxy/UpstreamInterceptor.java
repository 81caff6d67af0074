package io.defensebuilders.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Around every proxied exchange: the circuit breaker learns whether the upstream is available, a failure to reach it
 * becomes a problem+json 503 (or 504) instead of the proxy's bare 502, and a body over the route's limit a 413.
 * <p>
 * Only unavailability counts against the breaker: a connection that cannot be made or breaks, an answer that does
 * not come in time, and the upstream's own 502, 503 and 504. Any other answer, a 500 to a request the service could
 * not handle included, shows the service is up; so no caller can open the breaker, and shut the service off for
 * every tenant, by sending requests it fails on.
 * <p>
 * A call that is safe to repeat and whose connection closed before any answer came is sent once more, to the next
 * replica ({@link Upstream.Resend}): a replica that stops in a rolling restart costs its callers nothing.
 * <p>
 * Every answer that leaves through here, the upstream's or one of the problems above, tells the gateway its status
 * and size just before its last byte is written ({@link Upstream.Answered}).
 */
@ApplicationScoped
public class UpstreamInterceptor {

    /** The exchange's attachment: whom to tell just before the answer ends ({@link Upstream.Answered}). */
    private static final String ANSWERED = "dbp.answered";

    ProxyInterceptor forUpstream(Upstream upstream) {
        return new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                Upstream.Answered answered = Upstream.takeAnswered();
                if (answered != null) {
                    context.set(ANSWERED, answered);
                }
                if (!upstream.breaker.allow()) {
                    return Future.succeededFuture(problem(context, upstream.unavailable(null)));
                }
                return send(context, upstream);
            }

            @Override
            public Future<Void> handleProxyResponse(ProxyContext context) {
                Upstream.Answered answered = context.get(ANSWERED, Upstream.Answered.class);
                if (answered != null) {
                    ProxyResponse response = context.response();
                    int status = response.getStatusCode();
                    Body body = response.getBody();
                    if (body == null) {
                        answered.answered(status, 0); // the answer is its head alone: sent next
                    } else {
                        response.setBody(Body.body(new Upstream.BodyStream(body.stream(),
                                bytes -> answered.answered(status, bytes), Long.MAX_VALUE, null), body.length()));
                    }
                }
                return context.sendResponse();
            }
        };
    }

    private Future<ProxyResponse> send(ProxyContext context, Upstream upstream) {
        return context.sendRequest().transform(ar -> {
            if (ar.succeeded()) {
                if (unavailable(ar.result().getStatusCode())) {
                    upstream.breaker.failed();
                } else {
                    upstream.breaker.succeeded();
                }
                return Future.succeededFuture(ar.result());
            }
            Long limit = context.get(Upstream.BodyTooLarge.KEY, Long.class);
            if (limit != null) {
                // the caller's doing, found while streaming a body of no declared length: the upstream
                // request was reset, and the rest of the body is not read
                context.request().proxiedRequest().response().putHeader("connection", "close");
                return Future.succeededFuture(problem(context, Upstream.tooLarge(limit)));
            }
            if (context.request().proxiedRequest().response().closed()) {
                // the client went away mid-call (a closed connection): not the upstream's failure
                return Future.failedFuture(ar.cause());
            }
            Throwable e = ar.cause();
            if (!Upstream.timedOut(e) && Upstream.Resend.claim(context)) {
                // closed under the call by a replica going away: not yet a failure of the service
                return send(context, upstream);
            }
            upstream.breaker.failed();
            return Future.succeededFuture(problem(context, upstream.unavailable(e)));
        });
    }

    /** The statuses by which a service, or a proxy in front of it, says it cannot serve anyone right now. */
    static boolean unavailable(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    private static ProxyResponse problem(ProxyContext context, ProblemException problem) {
        var p = problem.toProblem().withInstance(context.request().proxiedRequest().path(),
                context.request().headers().get("X-Request-Id"));
        ProxyResponse response = context.request().response().setStatusCode(p.status());
        response.headers().clear();
        response.putHeader("content-type", "application/problem+json");
        if (p.status() == 503) {
            response.putHeader("retry-after", "5");
        }
        return response.setBody(Body.body(Buffer.buffer(JsonObject.mapFrom(p).encode())));
    }
}
