package io.defensebuilders.environments.grpc;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.platform.auth.GatewayTokens;

/**
 * Internal tokens for an environment's tenant, so the operator can ask the registry on the tenant's behalf (private
 * SDKs resolve only for their own tenant): minted by the gateway for the operator's platform-admin API key
 * ({@link GatewayTokens}).
 */
@ApplicationScoped
public class RegistryTokens {

    private final GatewayTokens tokens;

    public RegistryTokens(EnvironmentsConfig config, ObjectMapper json) {
        this.tokens = new GatewayTokens(config.registry().gatewayApiKey(), config.registry().gatewayUrl(),
                "service:environment-manager", "DBP_ENVIRONMENTS_REGISTRY_GATEWAY_API_KEY", json);
    }

    /** A bearer token for {@code tenant} with the viewer role. */
    public String tokenFor(String tenant) {
        try {
            return tokens.tokenFor(tenant, List.of("viewer"));
        } catch (GatewayTokens.UnavailableException e) {
            throw new ResolutionException(e.getMessage()
                    + (tokens.configured() ? "" : "; this spec was not resolved through the REST API"), false);
        }
    }
}
