package io.defensebuilders.environments.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.registry.v1.EnvironmentTemplate;
import io.defensebuilders.contracts.registry.v1.ResolveSdkRequest;
import io.defensebuilders.contracts.registry.v1.ResolveSdkResponse;
import io.defensebuilders.contracts.registry.v1.SdkRegistryGrpc;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.platform.grpc.OnBehalf;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;

/** Resolves an environment's SDKs through the registry's gRPC {@code ResolveSdk}, as the environment's tenant. */
@ApplicationScoped
public class SdkResolver {

    private static final Logger LOG = Logger.getLogger(SdkResolver.class);
    private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");

    private final SdkRegistryGrpc.SdkRegistryBlockingStub registry;
    private final RegistryTokens tokens;
    private final Duration timeout;

    public SdkResolver(@GrpcClient("registry") SdkRegistryGrpc.SdkRegistryBlockingStub registry, RegistryTokens tokens,
            EnvironmentsConfig config) {
        this.registry = registry;
        this.tokens = tokens;
        this.timeout = config.registry().timeout();
    }

    /** Resolves as the operator (a token for {@code tenant} minted by the gateway). */
    public List<Resolution> resolve(String tenant, List<EnvironmentSpec.SdkRef> sdks) {
        if (sdks == null || sdks.isEmpty()) {
            return List.of();
        }
        return resolveWithToken(tokens.tokenFor(tenant), sdks);
    }

    /** Resolves with a caller's own bearer token (the REST API forwards it). */
    public List<Resolution> resolveWithToken(String bearerToken, List<EnvironmentSpec.SdkRef> sdks) {
        List<Resolution> out = new ArrayList<>();
        if (sdks == null) {
            return out;
        }
        for (EnvironmentSpec.SdkRef sdk : sdks) {
            String range = sdk.version == null ? "" : sdk.version;
            ResolveSdkResponse r;
            try {
                r = OnBehalf.of(registry, bearerToken, timeout)
                        .resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk.name).setRange(range).build());
            } catch (StatusRuntimeException e) {
                String what = "SDK '" + sdk.name + "'" + (range.isEmpty() ? "" : " '" + range + "'");
                switch (e.getStatus().getCode()) {
                    case NOT_FOUND -> throw new ResolutionException(
                            what + ": no such SDK, or no version satisfies the range", true);
                    case INVALID_ARGUMENT -> throw new ResolutionException(what + ": "
                            + (e.getStatus().getDescription() == null ? "invalid name or range"
                                    : e.getStatus().getDescription()),
                            true);
                    case PERMISSION_DENIED -> throw new ResolutionException(what + ": not visible to the tenant", true);
                    default -> {
                        LOG.warnf("registry did not resolve %s: %s", what, e.getStatus());
                        throw new ResolutionException("the SDK registry is unavailable (" + e.getStatus().getCode()
                                + "); will retry", false);
                    }
                }
            }
            if (r.getImage().isEmpty() || !DIGEST.matcher(r.getImageDigest()).matches()) {
                throw new ResolutionException("SDK '" + sdk.name + "' " + r.getVersion()
                        + " ships no container image (by digest) to run", true);
            }
            out.add(toResolution(r));
        }
        return out;
    }

    private static Resolution toResolution(ResolveSdkResponse r) {
        EnvironmentTemplate t = r.getEnvironmentTemplate();
        List<Resolution.Port> ports = t.getPortsList().stream()
                .map(p -> new Resolution.Port(p.getName(), p.getPort(), p.getProtocol().isEmpty() ? "TCP" : p.getProtocol()))
                .toList();
        return new Resolution(r.getName(), r.getVersion(), r.getImage(), r.getImageDigest(), ports, t.getEnvMap(),
                t.hasResources() && !t.getResources().getCpu().isEmpty() ? t.getResources().getCpu() : null,
                t.hasResources() && !t.getResources().getMemory().isEmpty() ? t.getResources().getMemory() : null,
                List.copyOf(t.getCommandList()), List.copyOf(t.getArgsList()),
                t.getReadinessPath().isEmpty() ? null : t.getReadinessPath());
    }
}
