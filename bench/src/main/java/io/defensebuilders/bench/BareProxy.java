package io.defensebuilders.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;

/**
 * A reference point for the gateway benchmark: the same Vert.x reverse proxy the gateway uses, with nothing else
 * (no Quarkus, no authentication, rate limits, tokens, logs or events). What it reaches is roughly the ceiling for
 * any proxy built on it on this machine.
 *
 * <pre>
 * BareProxy [port] [backend port]
 * </pre>
 */
public final class BareProxy {

    private BareProxy() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18083;
        int backend = args.length > 1 ? Integer.parseInt(args[1]) : 18081;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        for (int i = 0; i < 2; i++) {
            var client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(200));
            vertx.createHttpServer().requestHandler(HttpProxy.reverseProxy(client).origin(backend, "127.0.0.1"))
                    .listen(port, "127.0.0.1");
        }
        System.out.println("bare proxy on 127.0.0.1:" + port + " -> " + backend);
    }
}
