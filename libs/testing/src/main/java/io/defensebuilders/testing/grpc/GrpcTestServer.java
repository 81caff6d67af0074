package io.defensebuilders.testing.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.auth.InternalToken;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;

/**
 * A real gRPC server (Netty, loopback, a free port) for a test's double of another service, which sees each call's
 * {@code authorization} header as the service it stands for does: {@link #authorization()} while handling a call,
 * {@link #tenantOf} for the tenant of its internal JWT (trusted here; the services under test verify theirs).
 */
public final class GrpcTestServer implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CALL_AUTHORIZATION = Context.key("authorization");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;

    private GrpcTestServer(Server server) {
        this.server = server;
    }

    /** Starts serving {@code services}. */
    public static GrpcTestServer start(BindableService... services) {
        ServerInterceptor authorization = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(CALL_AUTHORIZATION,
                        headers.get(AUTHORIZATION)), call, headers, next);
            }
        };
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, authorization));
        }
        try {
            return new GrpcTestServer(builder.build().start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /**
     * The configuration that points the Quarkus gRPC clients named {@code clients} here (in test mode a client dials
     * its {@code test-port}).
     */
    public Map<String, String> clientConfig(String... clients) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String client : clients) {
            String prefix = "quarkus.grpc.clients." + client + ".";
            config.put(prefix + "host", "127.0.0.1");
            config.put(prefix + "port", Integer.toString(port()));
            config.put(prefix + "test-port", Integer.toString(port()));
        }
        return config;
    }

    /** The {@code authorization} header of the call being handled (e.g. {@code Bearer <jwt>}); null without one. */
    public static String authorization() {
        return CALL_AUTHORIZATION.get();
    }

    /** The tenant claim of a {@code Bearer} internal JWT; empty for anything else. */
    public static String tenantOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "";
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]);
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8)).path(InternalToken.TENANT_CLAIM)
                    .asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
