package io.defensebuilders.environments;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.defensebuilders.contracts.registry.v1.EnvironmentTemplate;
import io.defensebuilders.contracts.registry.v1.Port;
import io.defensebuilders.contracts.registry.v1.ResolveSdkRequest;
import io.defensebuilders.contracts.registry.v1.ResolveSdkResponse;
import io.defensebuilders.contracts.registry.v1.Resources;
import io.defensebuilders.contracts.registry.v1.SdkRegistryGrpc;
import io.defensebuilders.testing.grpc.GrpcTestServer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real gRPC server (Netty, on a free port) implementing the registry's {@code SdkRegistry} with fixed data, for the
 * environment manager's client to call. It insists on a bearer token, as the registry does.
 *
 * <ul>
 * <li>{@code tak-server}: 5.2.0 and 5.3.0 (latest), an image, an http port and a readiness path</li>
 * <li>{@code foundry-cli}: 1.0.0, an image, no ports</li>
 * <li>{@code no-image}: a version without an image</li>
 * <li>{@code flaky}: UNAVAILABLE for the first {@link #FLAKY_FAILURES} calls, then like foundry-cli</li>
 * </ul>
 */
public class FakeRegistry implements QuarkusTestResourceLifecycleManager {

    public static final String TAK_DIGEST = "sha256:" + "a".repeat(64);
    public static final String TAK_53_DIGEST = "sha256:" + "b".repeat(64);
    public static final String CLI_DIGEST = "sha256:" + "c".repeat(64);
    /**
     * Enough failures that the outage outlasts a few backoff steps (0.2, 0.4, 0.8 s): with 2, two reconciles racing
     * on the first watch events used both within milliseconds and Failed lasted 30 ms, shorter than a poll.
     */
    public static final int FLAKY_FAILURES = 5;
    public static final AtomicInteger CALLS = new AtomicInteger();
    public static final AtomicInteger FLAKY_CALLS = new AtomicInteger();
    private GrpcTestServer server;

    @Override
    public Map<String, String> start() {
        server = GrpcTestServer.start(new Registry(), new Billing());
        return server.clientConfig("registry", "billing");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Billing's Entitlements on the same server: tenants whose name starts with {@code capped-} are on a plan of one
     * environment at a time, tenants starting with {@code billingdown-} get UNAVAILABLE, everyone else is unlimited.
     */
    static final class Billing extends io.defensebuilders.contracts.billing.v1.EntitlementsGrpc.EntitlementsImplBase {
        @Override
        public void check(io.defensebuilders.contracts.billing.v1.CheckRequest request,
                io.grpc.stub.StreamObserver<io.defensebuilders.contracts.billing.v1.CheckResponse> out) {
            String token = GrpcTestServer.authorization();
            if (token == null || !token.startsWith("Bearer ")) {
                out.onError(io.grpc.Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            String tenant = GrpcTestServer.tenantOf(token);
            if (tenant.startsWith("billingdown-")) {
                out.onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
                return;
            }
            boolean capped = tenant.startsWith("capped-");
            long limit = capped ? 1 : 0;
            out.onNext(io.defensebuilders.contracts.billing.v1.CheckResponse.newBuilder()
                    .setAllowed(!capped || request.getQuantity() <= limit).setUnlimited(!capped).setLimit(limit)
                    .setUsed(request.getQuantity() - 1).setPlan(capped ? "free" : "enterprise")
                    .setSubscribed(capped).build());
            out.onCompleted();
        }
    }

    static final class Registry extends SdkRegistryGrpc.SdkRegistryImplBase {
        @Override
        public void resolveSdk(ResolveSdkRequest request, StreamObserver<ResolveSdkResponse> out) {
            CALLS.incrementAndGet();
            String token = GrpcTestServer.authorization();
            if (token == null || !token.startsWith("Bearer ") || token.length() < 20) {
                out.onError(Status.UNAUTHENTICATED.withDescription("a bearer token is required").asRuntimeException());
                return;
            }
            String range = request.getRange();
            switch (request.getName()) {
                case "tak-server" -> {
                    if (range.equals("^5.2") || range.equals("5.2.0") || range.equals("~5.2")) {
                        out.onNext(tak("5.2.0", TAK_DIGEST));
                    } else if (range.isEmpty() || range.equals("latest") || range.equals("^5") || range.equals("5.3.0")
                            || range.equals("^5.3")) {
                        out.onNext(tak("5.3.0", TAK_53_DIGEST));
                    } else if (range.startsWith("^") || range.startsWith("~") || range.matches("[0-9].*")) {
                        out.onError(Status.NOT_FOUND.withDescription("no version of tak-server satisfies " + range)
                                .asRuntimeException());
                        return;
                    } else {
                        out.onError(Status.INVALID_ARGUMENT.withDescription("invalid range '" + range + "'")
                                .asRuntimeException());
                        return;
                    }
                    out.onCompleted();
                }
                case "foundry-cli" -> {
                    out.onNext(cli("foundry-cli"));
                    out.onCompleted();
                }
                case "flaky" -> {
                    if (FLAKY_CALLS.incrementAndGet() <= FLAKY_FAILURES) {
                        out.onError(Status.UNAVAILABLE.withDescription("registry restarting").asRuntimeException());
                        return;
                    }
                    out.onNext(cli("flaky"));
                    out.onCompleted();
                }
                case "no-image" -> {
                    out.onNext(ResolveSdkResponse.newBuilder().setName("no-image").setVersion("1.0.0")
                            .setOwnerTenant("acme").build());
                    out.onCompleted();
                }
                default -> out.onError(Status.NOT_FOUND.withDescription("no SDK " + request.getName())
                        .asRuntimeException());
            }
        }

        private static ResolveSdkResponse tak(String version, String digest) {
            return ResolveSdkResponse.newBuilder().setName("tak-server").setVersion(version)
                    .setImage("ghcr.io/acme/tak-server").setImageDigest(digest).setOwnerTenant("acme")
                    .setEnvironmentTemplate(EnvironmentTemplate.newBuilder()
                            .addPorts(Port.newBuilder().setName("http").setPort(8443).setProtocol("TCP"))
                            .addPorts(Port.newBuilder().setName("cot").setPort(8087).setProtocol("UDP"))
                            .putEnv("TAK_MODE", "sandbox")
                            .setResources(Resources.newBuilder().setCpu("500m").setMemory("1Gi"))
                            .setReadinessPath("/health"))
                    .build();
        }

        private static ResolveSdkResponse cli(String name) {
            return ResolveSdkResponse.newBuilder().setName(name).setVersion("1.0.0")
                    .setImage("ghcr.io/acme/" + name).setImageDigest(CLI_DIGEST).setOwnerTenant("acme")
                    .setEnvironmentTemplate(EnvironmentTemplate.newBuilder().addCommand("sleep").addArgs("infinity"))
                    .build();
        }
    }
}
