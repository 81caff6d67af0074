package io.defensebuilders.platform.web;

import java.time.Duration;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Streamed uploads (a model, an SDK artifact) refused before their body is read: an existing version, a body over
 * the limit, a forbidden caller. The client goes on sending, and a kept-alive HTTP/1.1 connection would take the rest
 * of the body (up to the limit, hundreds of MB) into memory nobody reads: a heap histogram ({@code jcmd
 * GC.class_histogram}) of the inference service showed 42,820 buffered chunks, 359 MB, after a few refused 90 MB
 * uploads, and its collector took all of a core.
 *
 * <p>
 * So once a refusal is answered, the rest of the body is read and dropped (nothing is kept), for at most
 * {@link #LINGER}; a client still sending then has its connection closed. Closing at once instead, with the body's
 * bytes unread in the socket, makes the kernel send a reset that can overtake the answer: the gateway then saw the
 * connection break before any answer and told the caller 503 "cannot be reached" for a plain 415 (the API fuzz
 * suite, a 60 KB JSON body on the artifact upload). This is nginx's lingering close.
 */
public final class Uploads {

    /** The longest a refused upload's remaining body is read (and dropped) before its connection is closed. */
    static final Duration LINGER = Duration.ofSeconds(3);

    private Uploads() {
    }

    /** Runs {@code upload}; if it throws, the rest of the body is dropped after the answer (the problem) is sent. */
    public static <T> T closingOnRefusal(HttpServerRequest request, Supplier<T> upload) {
        try {
            return upload.get();
        } catch (RuntimeException e) {
            lingerAfterAnswer(request);
            throw e;
        }
    }

    private static void lingerAfterAnswer(HttpServerRequest request) {
        if (request == null || request.version() == HttpVersion.HTTP_2) {
            return; // HTTP/2 resets the stream, not the connection
        }
        request.response().endHandler(ignored -> {
            if (request.isEnded()) {
                return; // the whole body was read: the connection serves the next call as usual
            }
            Vertx vertx = Vertx.currentContext().owner();
            long close = vertx.setTimer(LINGER.toMillis(), t -> request.connection().close());
            try {
                request.handler(dropped -> {
                }).endHandler(end -> vertx.cancelTimer(close)).exceptionHandler(failed -> vertx.cancelTimer(close));
                request.resume();
            } catch (IllegalStateException ended) {
                vertx.cancelTimer(close); // ended meanwhile: nothing left to drop
            }
        });
    }
}
