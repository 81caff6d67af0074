package io.defensebuilders.aitools;

import java.time.Duration;
import java.util.Map;

import io.defensebuilders.testing.http.FakeTokenMint;
import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What the integrations reach outside the services: the gateway's token mint (ai-tools' platform-admin key asks for
 * a tenant's tokens, signed by the tests' issuer that the services trust), GitHub's tarball download, and an
 * OpenAI-compatible language model for "ask the docs".
 */
public class IntegrationsTestResource implements QuarkusTestResourceLifecycleManager {

    static final String GATEWAY_KEY = "dbp_0123456789abcdef_ai-tools-test-key-ai-tools-test-key-ai-tools-t";
    private static FakeTokenMint mint;

    static synchronized FakeTokenMint mint() {
        if (mint == null) {
            mint = FakeTokenMint.start(GATEWAY_KEY, InternalJwtResource.issuer(), Duration.ofMinutes(5));
        }
        return mint;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("dbp.ai-tools.integrations.gateway-url", mint().baseUrl(),
                "dbp.ai-tools.integrations.gateway-api-key", GATEWAY_KEY,
                "dbp.ai-tools.integrations.github-api-url", FakeGitHub.get().apiUrl(),
                "dbp.ai-tools.docs.llm.url", FakeLanguageModel.get().url(),
                "dbp.ai-tools.docs.llm.model", FakeLanguageModel.MODEL,
                "dbp.ai-tools.docs.llm.api-key", FakeLanguageModel.API_KEY);
    }

    @Override
    public void stop() {
        // one per JVM
    }
}
