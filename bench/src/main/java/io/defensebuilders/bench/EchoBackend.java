package io.defensebuilders.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;

/**
 * The backend of the gateway benchmark: answers every request with the same small JSON document, as cheaply as
 * Vert.x can, so what the benchmark measures is the proxy in front of it.
 *
 * Usage: {@code EchoBackend [port]}
 */
public final class EchoBackend {

    private EchoBackend() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18081;
        Buffer body = Buffer.buffer("{\"ok\":true,\"service\":\"bench-backend\",\"items\":[1,2,3,4,5,6,7,8]}");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        for (int i = 0; i < 2; i++) {
            vertx.createHttpServer().requestHandler(request -> request.response()
                    .putHeader("content-type", "application/json").end(body)).listen(port, "127.0.0.1");
        }
        System.out.println("bench backend on 127.0.0.1:" + port);
    }
}
