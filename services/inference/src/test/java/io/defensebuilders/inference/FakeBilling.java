package io.defensebuilders.inference;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.CheckResponse;
import io.defensebuilders.contracts.billing.v1.EntitlementsGrpc;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Billing's {@code Entitlements} on a real gRPC server (Netty, a free port), answering {@code inference.calls} as
 * billing does for a plan of {@link #LIMIT} calls: tenants named {@code capped-*} are on it, with {@link #USED} calls
 * counted so far (the test sets it, as billing's metering would); {@code billingdown-*} get UNAVAILABLE; every other
 * tenant is unlimited. It insists on the caller's bearer token, as billing does. {@link #CHECKS} counts the questions
 * per tenant.
 */
public class FakeBilling implements QuarkusTestResourceLifecycleManager {

    public static final long LIMIT = 3;
    public static final Map<String, Long> USED = new ConcurrentHashMap<>();
    public static final Map<String, AtomicInteger> CHECKS = new ConcurrentHashMap<>();
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final io.grpc.Context.Key<String> TOKEN = io.grpc.Context.key("token");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Server server;

    @Override
    public Map<String, String> start() {
        ServerInterceptor token = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(io.grpc.Context.current().withValue(TOKEN, headers.get(AUTHORIZATION)), call,
                        headers, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(new Entitlements(), token)).build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String port = String.valueOf(server.getPort());
        return Map.of("quarkus.grpc.clients.billing.host", "127.0.0.1", "quarkus.grpc.clients.billing.port", port,
                "quarkus.grpc.clients.billing.test-port", port);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    static int checks(String tenant) {
        AtomicInteger n = CHECKS.get(tenant);
        return n == null ? 0 : n.get();
    }

    private static final class Entitlements extends EntitlementsGrpc.EntitlementsImplBase {
        @Override
        public void check(CheckRequest request, StreamObserver<CheckResponse> out) {
            String bearer = TOKEN.get();
            if (bearer == null || !bearer.startsWith("Bearer ")) {
                out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            if (!request.getFeature().equals("inference.calls")) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("unexpected feature " + request.getFeature())
                        .asRuntimeException());
                return;
            }
            String tenant = tenantOf(bearer.substring(7));
            CHECKS.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
            if (tenant.startsWith("billingdown-")) {
                out.onError(Status.UNAVAILABLE.asRuntimeException());
                return;
            }
            if (!tenant.startsWith("capped-")) {
                out.onNext(CheckResponse.newBuilder().setAllowed(true).setUnlimited(true).setPlan("enterprise")
                        .setSubscribed(true).build());
                out.onCompleted();
                return;
            }
            long used = USED.getOrDefault(tenant, 0L);
            boolean allowed = used + request.getQuantity() <= LIMIT;
            out.onNext(CheckResponse.newBuilder().setAllowed(allowed).setLimit(LIMIT).setUsed(used)
                    .setRemaining(allowed ? LIMIT - used - request.getQuantity() : 0).setPlan("free")
                    .setReason(allowed ? "" : "inferenceCallsPerMonth is " + LIMIT).build());
            out.onCompleted();
        }
    }

    private static String tenantOf(String jwt) {
        try {
            byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8)).path(InternalToken.TENANT_CLAIM)
                    .asText("");
        } catch (Exception e) {
            return "";
        }
    }
}
