package io.defensebuilders.registry.grpc;

import io.defensebuilders.contracts.registry.v1.EnvironmentTemplate;
import io.defensebuilders.contracts.registry.v1.Port;
import io.defensebuilders.contracts.registry.v1.ResolveSdkRequest;
import io.defensebuilders.contracts.registry.v1.ResolveSdkResponse;
import io.defensebuilders.contracts.registry.v1.Resources;
import io.defensebuilders.contracts.registry.v1.SdkRegistry;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.grpc.GrpcProblems;
import io.defensebuilders.registry.service.ResolveService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC {@code defensebuilders.registry.v1.SdkRegistry}: what the environment manager asks before it runs an SDK.
 * Every call resolves its caller from the internal JWT first, so an anonymous or forged call is UNAUTHENTICATED.
 */
@GrpcService
public class SdkRegistryGrpcService implements SdkRegistry {

    private final ResolveService resolver;
    private final TenantContext tenant;

    public SdkRegistryGrpcService(ResolveService resolver, TenantContext tenant) {
        this.resolver = resolver;
        this.tenant = tenant;
    }

    @Override
    public Uni<ResolveSdkResponse> resolveSdk(ResolveSdkRequest request) {
        return tenant.deferredCaller()
                .chain(caller -> resolver.resolve(caller.tenant(), request.getName(), request.getRange(),
                        request.getIncludePrerelease()))
                .map(SdkRegistryGrpcService::toResponse)
                .plug(GrpcProblems::answer);
    }

    private static ResolveSdkResponse toResponse(ResolveService.Resolution r) {
        var v = r.version();
        ResolveSdkResponse.Builder out = ResolveSdkResponse.newBuilder()
                .setName(r.name())
                .setVersion(v.version())
                .setYanked(v.yanked())
                .setOwnerTenant(r.ownerTenant());
        if (v.image() != null) {
            out.setImage(v.image()).setImageDigest(v.imageDigest());
        }
        if (v.integrity() != null) {
            out.setIntegrity(v.integrity());
        }
        if (v.deprecationMessage() != null) {
            out.setDeprecationMessage(v.deprecationMessage());
        }
        if (v.environmentTemplate() != null) {
            out.setEnvironmentTemplate(template(v.environmentTemplate()));
        }
        return out.build();
    }

    private static EnvironmentTemplate template(io.defensebuilders.registry.EnvironmentTemplate t) {
        EnvironmentTemplate.Builder b = EnvironmentTemplate.newBuilder();
        if (t.ports() != null) {
            t.ports().forEach(p -> b.addPorts(Port.newBuilder().setName(p.name()).setPort(p.port())
                    .setProtocol(p.protocol() == null ? "TCP" : p.protocol())));
        }
        if (t.env() != null) {
            b.putAllEnv(t.env());
        }
        if (t.resources() != null) {
            Resources.Builder r = Resources.newBuilder();
            if (t.resources().cpu() != null) {
                r.setCpu(t.resources().cpu());
            }
            if (t.resources().memory() != null) {
                r.setMemory(t.resources().memory());
            }
            b.setResources(r);
        }
        if (t.command() != null) {
            b.addAllCommand(t.command());
        }
        if (t.args() != null) {
            b.addAllArgs(t.args());
        }
        if (t.readinessPath() != null) {
            b.setReadinessPath(t.readinessPath());
        }
        return b.build();
    }
}
