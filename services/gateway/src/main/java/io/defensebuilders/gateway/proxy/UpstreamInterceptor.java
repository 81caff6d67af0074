package io.defensebuilders.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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

    /** A 5xx from the upstream: a failure for the breaker, still the answer for the client. */
    private static final class UpstreamError extends RuntimeException {
        final transient ProxyResponse response;

        UpstreamError(ProxyResponse response) {
            super("upstream answered " + response.getStatusCode(), null, false, false);
            this.response = response;
        }
    }

    ProxyInterceptor forUpstream(Upstream upstream) {
        return new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                Future<ProxyResponse> sent = upstream.breaker.execute((Promise<ProxyResponse> promise) -> context.sendRequest()
                        .onSuccess(response -> {
                            if (response.getStatusCode() >= 500) {
                                promise.fail(new UpstreamError(response));
                            } else {
                                promise.complete(response);
                            }
                        })
                        .onFailure(promise::fail));
                return sent.recover(e -> {
                    if (e instanceof UpstreamError error) {
                        return Future.succeededFuture(error.response);
                    }
                    boolean timeout = e instanceof java.util.concurrent.TimeoutException
                            || String.valueOf(e.getMessage()).toLowerCase().contains("timeout");
                    String detail = upstream.open()
                            ? "the " + upstream.name + " service is failing; calls are refused for a moment to let it recover"
                            : timeout ? "the " + upstream.name + " service did not answer in time"
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
