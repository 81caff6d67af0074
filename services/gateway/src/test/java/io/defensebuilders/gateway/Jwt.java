package io.defensebuilders.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a JWT's header and claims without verifying it (verification is tested separately, with the JWKS). */
final class Jwt {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Jwt() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> header(String jwt) {
        return part(jwt, 0);
    }

    static Map<String, Object> claims(String jwt) {
        return part(jwt, 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(String jwt, int index) {
        try {
            return JSON.readValue(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8),
                    Map.class);
        } catch (Exception e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }
}
