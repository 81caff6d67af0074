package io.defensebuilders.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The API key format {@code dbp_<id>_<secret>}: a 16-hex-digit id to find the key by, and 256 random bits of secret
 * (base64url) of which only the SHA-256 is stored. A fast hash is enough: the secret is random, not a password.
 */
public final class ApiKeyCodec {

    public static final String PREFIX = "dbp_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A parsed key as presented by a caller. */
    public record Presented(String id, String secret) {
        public byte[] hash() {
            return sha256(secret);
        }
    }

    /** A freshly made key: the full token to hand out once, and what to store. */
    public record Issued(String id, String token, byte[] hash) {
    }

    private ApiKeyCodec() {
    }

    public static Issued issue() {
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        return new Issued(id, PREFIX + id + "_" + secret, sha256(secret));
    }

    /** Parses {@code dbp_<16 hex>_<43 base64url>}; runs on every call, so without a regular expression. */
    public static Optional<Presented> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String t = token.trim();
        if (t.length() != PREFIX.length() + 16 + 1 + 43 || !t.startsWith(PREFIX) || t.charAt(PREFIX.length() + 16) != '_') {
            return Optional.empty();
        }
        String id = t.substring(PREFIX.length(), PREFIX.length() + 16);
        String secret = t.substring(PREFIX.length() + 17);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return Optional.empty();
            }
        }
        return Optional.of(new Presented(id, secret));
    }

    /** Constant-time comparison of a presented secret's hash with a stored one. */
    public static boolean matches(Presented presented, byte[] storedHash) {
        return MessageDigest.isEqual(presented.hash(), storedHash);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
