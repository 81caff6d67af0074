package io.defensebuilders.testing.quarkus;

import java.util.Map;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.testing.jwt.TokenIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands where the gateway's JWKS endpoint stands in production: a real HTTP JWKS whose keys sign the tests'
 * internal tokens. Tests mint tokens with {@link #issuer()}.
 */
public class InternalJwtResource implements QuarkusTestResourceLifecycleManager {

    private static final TokenIssuer ISSUER = new TokenIssuer();

    public static TokenIssuer issuer() {
        return ISSUER;
    }

    @Override
    public Map<String, String> start() {
        String base = ISSUER.serve();
        return Map.of(
                "quarkus.oidc.auth-server-url", base,
                "quarkus.oidc.jwks-path", InternalToken.JWKS_PATH);
    }

    @Override
    public void stop() {
        // one issuer per JVM, like the infrastructure
    }
}
