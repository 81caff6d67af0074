package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.EventKey;

/**
 * A {@code usage.v1} event that passed the shape checks, reduced to what metering needs. Its {@code occurredAt} is
 * truncated to microseconds, PostgreSQL's precision, so ordering in memory and in the database agree.
 *
 * @param source CloudEvents source, half of the deduplication key
 * @param id CloudEvents id, the other half
 * @param usage the payload
 */
public record UsageEvent(String source, String id, UsageV1 usage) {

    /** Bounds that keep every stored key inside PostgreSQL's b-tree row limit (2704 bytes). */
    public static final int MAX_KEY_BYTES = 1000;
    public static final int MAX_TENANT_BYTES = 200;
    /** Decimal values: at most this many digits before and after the point. */
    public static final int MAX_INTEGER_DIGITS = 24;
    public static final int MAX_FRACTION_DIGITS = 18;

    public UsageEvent {
        Objects.requireNonNull(source);
        Objects.requireNonNull(id);
        Objects.requireNonNull(usage);
    }

    /** The deduplication key. */
    public EventKey key() {
        return new EventKey(source, id);
    }

    public String tenant() {
        return usage.tenant();
    }

    public Instant occurredAt() {
        return usage.occurredAt();
    }

    /** The start of the UTC minute the event occurred in. */
    public Instant minute() {
        return Instant.ofEpochSecond(Math.floorDiv(usage.occurredAt().getEpochSecond(), 60) * 60);
    }

    /** Why a text cannot be stored, or null when it can. */
    public static String storable(String text, int maxBytes) {
        if (text.indexOf('\0') >= 0) {
            return "contains a NUL character";
        }
        if (text.length() > maxBytes / 4 && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "is longer than " + maxBytes + " bytes";
        }
        return null;
    }

    /** Why a decimal is out of the accepted range, or null when it is within it. */
    public static String inRange(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        if (v.scale() > MAX_FRACTION_DIGITS) {
            return "has more than " + MAX_FRACTION_DIGITS + " fraction digits";
        }
        if (v.precision() - v.scale() > MAX_INTEGER_DIGITS) {
            return "has more than " + MAX_INTEGER_DIGITS + " integer digits";
        }
        return null;
    }
}
