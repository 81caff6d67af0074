package io.defensebuilders.environments;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.auth.InternalToken;

/** The tenant claim of an internal JWT, for the test doubles (they trust the token; the services verify it). */
final class TestTenants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTenants() {
    }

    static String tenantOf(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8)).path(InternalToken.TENANT_CLAIM).asText("");
        } catch (Exception e) {
            return "";
        }
    }
}
