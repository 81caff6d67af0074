package io.defensebuilders.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import io.defensebuilders.platform.grpc.GrpcProblems;
import io.defensebuilders.platform.problem.ProblemException;
import io.grpc.Status;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * A gRPC call through the gateway. gRPC is HTTP/2 whose outcome ({@code grpc-status}, {@code grpc-message}) comes in
 * trailers, which the HTTP/1.1 reverse proxy of the REST routes does not carry: here the call's headers, its messages
 * both ways as they stream, and its trailers pass through on one HTTP/2 stream to the upstream. What the gateway
 * answers itself (no valid credential, a rate limit, an upstream that cannot be reached) is a gRPC status in the
 * trailers-only form every gRPC library reads, not problem+json.
 * <p>
 * As for REST calls, the breaker counts only what says the service is unavailable (no connection, no answer in time,
 * an HTTP 502, 503 or 504): a call the service answers with an error status is its answer, relayed as it is.
 */
final class GrpcRelay {

    /**
     * Headers of one hop (RFC 9113 section 8.2.2), and Host: the client names the authority of its own connection.
     * {@code te: trailers}, which gRPC requires, passes.
     */
    private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "upgrade", "host");
    private static final String GRPC = "application/grpc";
    /** The HTTP/2 error code of a stream given up on (RFC 9113 section 7). */
    private static final long CANCEL = 0x8;

    private GrpcRelay() {
    }

    /**
     * Whether {@code request} is a gRPC call: HTTP/2 with a content type of {@code application/grpc} or one of its
     * {@code +proto}, {@code +json} forms (not gRPC-Web, whose trailers travel in the body over HTTP/1.1).
     */
    static boolean isGrpc(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            return false;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, GRPC, 0, GRPC.length())) {
            return false;
        }
        return type.length() == GRPC.length() || type.charAt(GRPC.length()) == '+' || type.charAt(GRPC.length()) == ';';
    }

    /**
     * Sends the call {@code in} (paused, its credentials already swapped) to the replica {@code connect} reaches, and
     * its answer back; {@code answered} is told the call's outcome as an HTTP status, just before the answer ends.
     */
    static void relay(Upstream upstream, HttpServerRequest in, Upstream.Answered answered,
            Supplier<Future<HttpClientRequest>> connect) {
        if (!upstream.breaker.allow()) {
            refuse(in, answered, upstream.unavailable(null));
            return;
        }
        connect.get().onComplete(connected -> {
            if (connected.failed()) {
                upstream.breaker.failed();
                refuse(in, answered, upstream.unavailable(connected.cause()));
                return;
            }
            new Exchange(upstream, in, answered, connected.result()).start();
        });
    }

    /**
     * The gateway's own answer to a gRPC call: the problem as the nearest gRPC status; {@code answered} (or null) is
     * told its HTTP status.
     */
    static void refuse(HttpServerRequest in, Upstream.Answered answered, ProblemException problem) {
        answer(in, answered, GrpcProblems.codeOf(problem.status()), problem.getMessage());
    }

    /**
     * Ends the call with {@code code} and {@code message}: trailers-only when nothing of the answer has gone yet, as
     * trailers after what has otherwise.
     */
    private static void answer(HttpServerRequest in, Upstream.Answered answered, Status.Code code, String message) {
        HttpServerResponse response = in.response();
        if (response.ended() || response.closed()) {
            return;
        }
        MultiMap status = response.headWritten() ? response.trailers() : response.headers();
        if (!response.headWritten()) {
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, GRPC);
        }
        status.set("grpc-status", Integer.toString(code.value()));
        if (message != null) {
            status.set("grpc-message", percentEncoded(message));
        }
        if (answered != null) {
            answered.answered(GrpcProblems.httpStatusOf(code), 0);
        }
        // whatever is left of the call's messages is read and dropped
        in.resume();
        response.end();
    }

    /** One call on its way: the caller's stream {@code in} and the upstream's {@code out}. */
    private static final class Exchange {
        private final Upstream upstream;
        private final HttpServerRequest in;
        private final HttpServerResponse response;
        private final Upstream.Answered answered;
        private final HttpClientRequest out;
        private long sent;
        private long received;
        /** Set when the call's messages grew past the route's body limit: the upstream's stream was reset. */
        private boolean tooLarge;

        Exchange(Upstream upstream, HttpServerRequest in, Upstream.Answered answered, HttpClientRequest out) {
            this.upstream = upstream;
            this.in = in;
            this.response = in.response();
            this.answered = answered;
            this.out = out;
        }

        void start() {
            // chunked: no declared length (Vert.x asks for one or the other; HTTP/2 sends neither)
            out.setMethod(HttpMethod.POST).setURI(in.uri()).setChunked(true);
            copy(in.headers(), out.headers());
            out.response().onComplete(this::onAnswer);
            in.handler(this::forward);
            in.endHandler(v -> {
                if (!tooLarge && !response.ended()) {
                    out.end();
                    // the wait for the upstream starts when the call has been sent, as for REST calls
                    out.idleTimeout(upstream.route.timeout().toMillis());
                }
            });
            // the caller cancelled (RST_STREAM), its deadline passed, or its connection went: so does the call upstream
            in.exceptionHandler(e -> out.reset(CANCEL));
            response.closeHandler(v -> out.reset(CANCEL));
            in.resume();
        }

        private void forward(Buffer chunk) {
            if (tooLarge || response.ended()) {
                return;
            }
            sent += chunk.length();
            if (sent > upstream.maxBodySize) {
                tooLarge = true;
                out.reset(CANCEL);
                refuse(in, answered, Upstream.tooLarge(upstream.maxBodySize));
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                in.pause();
                out.drainHandler(v -> in.resume());
            }
        }

        private void onAnswer(AsyncResult<HttpClientResponse> ar) {
            if (ar.failed()) {
                if (tooLarge || response.ended() || response.closed()) {
                    return; // reset by this side: the caller has its answer, or is gone
                }
                upstream.breaker.failed();
                refuse(in, answered, upstream.unavailable(ar.cause()));
                return;
            }
            HttpClientResponse back = ar.result();
            if (UpstreamInterceptor.unavailable(back.statusCode())) {
                upstream.breaker.failed();
            } else {
                upstream.breaker.succeeded();
            }
            response.setStatusCode(back.statusCode());
            copy(back.headers(), response.headers());
            back.handler(chunk -> {
                received += chunk.length();
                response.write(chunk);
                if (response.writeQueueFull()) {
                    back.pause();
                    response.drainHandler(v -> back.resume());
                }
            });
            // the upstream's stream broke mid-answer: the caller's is reset too, which its library reports as such
            back.exceptionHandler(e -> response.reset(CANCEL));
            back.endHandler(v -> {
                if (!back.trailers().isEmpty()) {
                    // (asking for the response's trailers makes them: an empty trailers frame after a trailers-only
                    // answer's headers would leave the caller without the status those headers carry)
                    copy(back.trailers(), response.trailers());
                }
                String status = back.trailers().get("grpc-status");
                if (status == null) {
                    status = back.headers().get("grpc-status"); // a trailers-only answer
                }
                answered.answered(status == null ? back.statusCode() : httpStatusOf(status), received);
                response.end();
            });
        }
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith(":") && !HOP.contains(name)) {
                to.add(name, header.getValue());
            }
        });
    }

    private static int httpStatusOf(String grpcStatus) {
        try {
            return GrpcProblems.httpStatusOf(Status.fromCodeValue(Integer.parseInt(grpcStatus.trim())).getCode());
        } catch (NumberFormatException e) {
            return 500; // not a status: the upstream broke the protocol
        }
    }

    /** {@code grpc-message}'s encoding: printable ASCII but '%' as it is, every other UTF-8 byte as %XX. */
    static String percentEncoded(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b <= 0x7e && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
