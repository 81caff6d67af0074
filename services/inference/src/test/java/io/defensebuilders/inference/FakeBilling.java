package io.defensebuilders.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.CheckResponse;
import io.defensebuilders.contracts.billing.v1.EntitlementsGrpc;
import io.defensebuilders.testing.grpc.GrpcTestServer;
import io.grpc.Status;
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
    private GrpcTestServer server;

    @Override
    public Map<String, String> start() {
        server = GrpcTestServer.start(new Entitlements());
        return server.clientConfig("billing");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    static int checks(String tenant) {
        AtomicInteger n = CHECKS.get(tenant);
        return n == null ? 0 : n.get();
    }

    private static final class Entitlements extends EntitlementsGrpc.EntitlementsImplBase {
        @Override
        public void check(CheckRequest request, StreamObserver<CheckResponse> out) {
            String bearer = GrpcTestServer.authorization();
            if (bearer == null || !bearer.startsWith("Bearer ")) {
                out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            if (!request.getFeature().equals("inference.calls")) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("unexpected feature " + request.getFeature())
                        .asRuntimeException());
                return;
            }
            String tenant = GrpcTestServer.tenantOf(bearer);
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
}
