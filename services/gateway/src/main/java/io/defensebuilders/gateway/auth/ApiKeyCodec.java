package io.defensebuilders.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API key format {@code dbp_<id>_<secret>}: a 16-hex-digit id to find the key by, and 256 random bits of secret
 * (base64url) of which only the SHA-256 is stored. A fast hash is enough: the secret is random, not a password.
 */
public final class ApiKeyCodec {

    public static final String PREFIX = "dbp_";
    private static final Pattern FORMAT = Pattern.compile("dbp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
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

    public static Optional<Presented> parse(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(token.trim());
        return m.matches() ? Optional.of(new Presented(m.group(1), m.group(2))) : Optional.empty();
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
