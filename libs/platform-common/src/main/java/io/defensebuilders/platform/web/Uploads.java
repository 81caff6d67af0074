package io.defensebuilders.platform.web;

import java.util.function.Supplier;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Streamed uploads (a model, an SDK artifact) refused before their body is read: an existing version, a body over
 * the limit, a forbidden caller. The client goes on sending, and a kept-alive HTTP/1.1 connection would take the rest
 * of the body (up to the limit, hundreds of MB) into memory nobody reads: a heap histogram ({@code jcmd
 * GC.class_histogram}) of the inference service showed 42,820 buffered chunks, 359 MB, after a few refused 90 MB uploads, and
 * its collector took all of a
 * core. A refusal is answered with {@code Connection: close} and the connection is closed once the answer is sent.
 */
public final class Uploads {

    private Uploads() {
    }

    /** Runs {@code upload}; if it throws, the answer (the problem the exception becomes) closes the connection. */
    public static <T> T closingOnRefusal(HttpServerRequest request, Supplier<T> upload) {
        try {
            return upload.get();
        } catch (RuntimeException e) {
            closeAfterAnswer(request);
            throw e;
        }
    }

    private static void closeAfterAnswer(HttpServerRequest request) {
        if (request == null || request.version() == HttpVersion.HTTP_2) {
            return; // HTTP/2 resets the stream, not the connection
        }
        HttpServerResponse response = request.response();
        response.putHeader("Connection", "close");
        response.endHandler(ignored -> request.connection().close());
    }
}
