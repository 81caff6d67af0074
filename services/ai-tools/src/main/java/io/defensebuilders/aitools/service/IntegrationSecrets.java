package io.defensebuilders.aitools.service;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.crypto.SecretBox;
import io.quarkus.runtime.LaunchMode;

/**
 * Integrations' secrets at rest: sealed under {@code dbp.ai-tools.integrations.secret-key}, each bound to its
 * integration (a sealed value copied onto another integration's row does not open). Dev and test use a fixed key; a
 * production start without one fails.
 */
@ApplicationScoped
public class IntegrationSecrets {

    private static final String SETTING = "dbp.ai-tools.integrations.secret-key";
    private static final String DEV_KEY = "ZGJwLWFpLXRvb2xzLWRldi1vbmx5LWtleS0zMmJ5dGU=";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretBox box;

    public IntegrationSecrets(AiToolsConfig config) {
        String key = config.integrations().secretKey().filter(k -> !k.isBlank()).orElse(null);
        if (key == null) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("set " + SETTING + " (DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY): a base64"
                        + " AES-256 key that seals tenants' webhook secrets at rest");
            }
            key = DEV_KEY;
        }
        this.box = new SecretBox(key, SETTING);
    }

    /** A new webhook secret: 32 random bytes, hex. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public byte[] seal(UUID integration, String what, String secret) {
        return box.sealText(secret, integration + "/" + what);
    }

    public String open(UUID integration, String what, byte[] sealed) {
        return box.openText(sealed, integration + "/" + what);
    }
}
