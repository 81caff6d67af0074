package io.defensebuilders.billing.grpc;

import io.defensebuilders.billing.service.EntitlementService;
import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.CheckResponse;
import io.defensebuilders.contracts.billing.v1.Entitlements;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.grpc.GrpcProblems;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC {@code defensebuilders.billing.v1.Entitlements}: what the gateway (rate tier) and the environment manager
 * (concurrent environments) ask before they let a tenant do more. The caller comes from the internal JWT.
 */
@GrpcService
public class EntitlementsGrpcService implements Entitlements {

    private final EntitlementService entitlements;
    private final TenantContext tenant;

    public EntitlementsGrpcService(EntitlementService entitlements, TenantContext tenant) {
        this.entitlements = entitlements;
        this.tenant = tenant;
    }

    @Override
    public Uni<CheckResponse> check(CheckRequest request) {
        return tenant.deferredCaller()
                .chain(caller -> entitlements.check(caller, request.getTenant(), request.getFeature(),
                        request.getQuantity()))
                .map(EntitlementsGrpcService::toResponse)
                .plug(GrpcProblems::answer);
    }

    private static CheckResponse toResponse(EntitlementService.Decision d) {
        CheckResponse.Builder out = CheckResponse.newBuilder().setAllowed(d.allowed()).setUnlimited(d.limit() == null)
                .setLimit(d.limit() == null ? 0 : d.limit()).setUsed(d.used()).setRemaining(d.remaining())
                .setPlan(d.plan()).setSubscribed(d.subscribed());
        if (d.rateTier() != null) {
            out.setRateTier(d.rateTier());
        }
        if (d.reason() != null) {
            out.setReason(d.reason());
        }
        return out.build();
    }
}
