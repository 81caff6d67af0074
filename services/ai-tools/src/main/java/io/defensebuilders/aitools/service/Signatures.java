package io.defensebuilders.aitools.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The senders' signatures, checked over the raw body in constant time: GitHub's {@code X-Hub-Signature-256}
 * ({@code sha256=} HMAC-SHA256 of the body with the webhook's secret) and Slack's {@code X-Slack-Signature}
 * ({@code v0=} HMAC-SHA256 of {@code v0:<timestamp>:<body>} with the app's signing secret, the timestamp no older than
 * the replay window).
 */
public final class Signatures {

    /** Why a Slack request was refused, or that it was not. */
    public enum SlackVerdict {
        VALID,
        MISSING,
        STALE,
        MISMATCH
    }

    private Signatures() {
    }

    /** Whether {@code header} is the GitHub signature of {@code body} under {@code secret}. */
    public static boolean github(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        return equal(hmac(secret, body), header.substring("sha256=".length()));
    }

    /** The GitHub signature header of {@code body} under {@code secret} (what a sender puts in X-Hub-Signature-256). */
    public static String githubHeader(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
    }

    /** Whether a Slack request is signed by {@code secret} and fresh at {@code now}. */
    public static SlackVerdict slack(String secret, String timestamp, byte[] body, String header, Instant now,
            Duration maxAge) {
        if (timestamp == null || header == null || !header.startsWith("v0=")) {
            return SlackVerdict.MISSING;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return SlackVerdict.MISSING;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > maxAge.toSeconds()) {
            return SlackVerdict.STALE;
        }
        return equal(hmac(secret, slackBase(timestamp.trim(), body)), header.substring(3)) ? SlackVerdict.VALID
                : SlackVerdict.MISMATCH;
    }

    /** The Slack signature header of {@code body} sent at {@code timestamp} (epoch seconds). */
    public static String slackHeader(String secret, String timestamp, byte[] body) {
        return "v0=" + HexFormat.of().formatHex(hmac(secret, slackBase(timestamp, body)));
    }

    private static byte[] slackBase(String timestamp, byte[] body) {
        byte[] prefix = ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] base = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, base, 0, prefix.length);
        System.arraycopy(body, 0, base, prefix.length, body.length);
        return base;
    }

    private static byte[] hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the expected MAC with a hex string (its case ignored; not hex: unequal). */
    private static boolean equal(byte[] expected, String givenHex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(givenHex.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
