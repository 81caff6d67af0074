package io.defensebuilders.aitools.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.auth.GatewayTokens;

/**
 * Internal tokens for an integration's tenant, for work no caller's token comes with (a GitHub release to publish, a
 * Slack command to answer): minted by the gateway for ai-tools' platform-admin API key ({@link GatewayTokens}).
 */
@ApplicationScoped
public class TenantTokens {

    private final GatewayTokens tokens;

    public TenantTokens(AiToolsConfig config, ObjectMapper json) {
        this.tokens = new GatewayTokens(config.integrations().gatewayApiKey(), config.integrations().gatewayUrl(),
                "service:ai-tools", "DBP_AI_TOOLS_INTEGRATIONS_GATEWAY_API_KEY", json);
    }

    /** Whether ai-tools has a key to ask for tokens with. */
    public boolean configured() {
        return tokens.configured();
    }

    /** A token for {@code tenant} with {@code role} (a claim value: viewer, publisher); blocks. */
    public String tokenFor(String tenant, String role) {
        return tokens.tokenFor(tenant, List.of(role));
    }
}
