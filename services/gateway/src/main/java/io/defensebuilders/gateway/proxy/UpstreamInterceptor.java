package io.defensebuilders.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Around every proxied exchange: the circuit breaker counts connection failures, timeouts and 5xx answers, and a
 * failure to reach the upstream becomes a problem+json 503 (or 504) instead of the proxy's bare 502.
 */
@ApplicationScoped
public class UpstreamInterceptor {

    ProxyInterceptor forUpstream(Upstream upstream) {
        return new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                if (!upstream.breaker.allow()) {
                    return Future.succeededFuture(problem(context, 503, "the " + upstream.name
                            + " service is failing; calls are refused for a moment to let it recover"));
                }
                return context.sendRequest().transform(ar -> {
                    if (ar.succeeded()) {
                        // a 5xx is a failure for the breaker, still the answer for the client
                        if (ar.result().getStatusCode() >= 500) {
                            upstream.breaker.failed();
                        } else {
                            upstream.breaker.succeeded();
                        }
                        return Future.succeededFuture(ar.result());
                    }
                    if (context.request().proxiedRequest().response().closed()) {
                        // the client went away mid-call (a closed connection): not the upstream's failure
                        return Future.failedFuture(ar.cause());
                    }
                    upstream.breaker.failed();
                    Throwable e = ar.cause();
                    boolean timeout = e instanceof java.util.concurrent.TimeoutException
                            || String.valueOf(e.getMessage()).toLowerCase().contains("timeout");
                    String detail = timeout ? "the " + upstream.name + " service did not answer in time"
                            : "the " + upstream.name + " service cannot be reached";
                    return Future.succeededFuture(problem(context, timeout ? 504 : 503, detail));
                });
            }
        };
    }

    static ProxyResponse problem(ProxyContext context, int status, String detail) {
        ProblemType type = status == 504 ? ProblemType.UNAVAILABLE : ProblemType.forStatus(status);
        String json = ProblemWriter.json(status, type.slug(), status == 504 ? "Upstream timeout" : type.title(), detail,
                context.request().getURI(), context.request().headers().get("X-Request-Id"));
        ProxyResponse response = context.request().response().setStatusCode(status);
        response.headers().clear();
        response.putHeader("content-type", "application/problem+json");
        if (status == 503) {
            response.putHeader("retry-after", "5");
        }
        return response.setBody(Body.body(Buffer.buffer(json)));
    }
}
