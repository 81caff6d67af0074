package io.defensebuilders.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

/**
 * Slows down guessing: every failed authentication (a wrong or revoked API key, an untrusted token) takes a token
 * from the client address' bucket and, for an API key, from its key id's bucket, shared by all replicas in Redis
 * (RateLimiter's script). The failure that empties a bucket blocks, until it holds a token again: an address is then
 * refused (429 with Retry-After) before its credential is even looked at; a key id is refused to every address that
 * has not authenticated with it recently, so someone spraying guesses at a key cannot lock out its owner.
 * <p>
 * Nothing is asked of Redis on the path of a call that authenticates: blocks are known locally, learnt by each replica
 * from its own failures (the shared bucket being empty, its first failure blocks it too).
 */
@Singleton
public class AuthThrottle {

    private static final Logger LOG = Logger.getLogger(AuthThrottle.class);
    private static final int MAX_ENTRIES = 100_000;
    private static final long TRUST_MILLIS = 3_600_000;

    private final GatewayConfig.AuthThrottle config;
    private final RateLimiter buckets;
    /** "a:<address>" or "k:<key id>" to the time (ms) until which it is refused. */
    private final Map<String, Long> blocked = new ConcurrentHashMap<>();
    /** Per key id, the addresses that authenticated with it and when (ms), last. */
    private final Map<String, Map<String, Long>> trusted = new ConcurrentHashMap<>();
    private final Counter failures;
    private final Counter throttledAddress;
    private final Counter throttledKey;

    public AuthThrottle(GatewayConfig config, RateLimiter buckets, MeterRegistry meters) {
        this.config = config.authThrottle();
        this.buckets = buckets;
        this.failures = Counter.builder("dbp.gateway.auth.failures")
                .description("calls with a credential that did not authenticate").register(meters);
        this.throttledAddress = Counter.builder("dbp.gateway.auth.throttled").tag("by", "address")
                .description("calls refused with 429 after too many failed authentications").register(meters);
        this.throttledKey = Counter.builder("dbp.gateway.auth.throttled").tag("by", "key")
                .description("calls refused with 429 after too many failed authentications").register(meters);
    }

    /**
     * Seconds the caller at {@code address} must wait before presenting a credential (for {@code keyId}, the API key
     * id, or null), or 0 when it may go ahead.
     */
    public long retryAfterSeconds(String address, String keyId) {
        if (!config.enabled() || blocked.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        long wait = remaining("a:" + address, now);
        if (wait > 0) {
            throttledAddress.increment();
            return seconds(wait);
        }
        if (keyId != null) {
            wait = remaining("k:" + keyId, now);
            if (wait > 0 && !recentlyTrusted(keyId, address, now)) {
                throttledKey.increment();
                return seconds(wait);
            }
        }
        return 0;
    }

    /**
     * Counts a failed authentication from {@code address} (with {@code keyId}, or null for other credentials); done
     * when any block it causes is in place, so the 401 is sent after it and the next attempt finds it. A failure's
     * answer may wait for Redis; a success's never does.
     */
    public Future<Void> failed(String address, String keyId) {
        failures.increment();
        if (!config.enabled()) {
            return Future.succeededFuture();
        }
        String keyBucket = "dbp:gateway:af:k:" + (keyId == null ? "-" : keyId);
        int keyBurst = keyId == null ? Integer.MAX_VALUE / 2 : config.keyBurst();
        int keyRate = keyId == null ? Integer.MAX_VALUE / 2 : config.keyPerMinute();
        return buckets.takeOne(keyBucket, keyBurst, keyRate, "dbp:gateway:af:a:" + address, config.addressBurst(),
                config.addressPerMinute()).onSuccess(r -> {
                    // a bucket emptied by this failure blocks until it holds one token again
                    long now = System.currentTimeMillis();
                    if (blocked.size() > MAX_ENTRIES) {
                        blocked.clear();
                    }
                    if (r[2] < 1) {
                        block("a:" + address, now + refill(r[2], config.addressPerMinute()));
                    }
                    if (keyId != null && r[1] < 1) {
                        block("k:" + keyId, now + refill(r[1], config.keyPerMinute()));
                    }
                }).mapEmpty();
    }

    /** Milliseconds until a bucket at {@code level} tokens, filling at {@code perMinute}, holds one. */
    private static long refill(double level, int perMinute) {
        return Math.max(1000, (long) Math.ceil((1 - level) * 60_000.0 / perMinute));
    }

    /** Remembers that {@code address} authenticated with {@code keyId}: a block of the key id does not apply to it. */
    public void succeeded(String address, String keyId) {
        if (!config.enabled() || keyId == null) {
            return;
        }
        // on every authenticated call: two lookups and, at most every quarter hour per key and address, a write
        long now = System.currentTimeMillis();
        Map<String, Long> addresses = trusted.get(keyId);
        Long last = addresses == null ? null : addresses.get(address);
        if (last == null || now - last > TRUST_MILLIS / 4) {
            if (trusted.size() > MAX_ENTRIES) {
                trusted.clear();
            }
            trusted.computeIfAbsent(keyId, k -> new ConcurrentHashMap<>()).put(address, now);
        }
    }

    private void block(String what, long until) {
        if (blocked.put(what, until) == null) {
            LOG.warnf("too many failed authentications by %s: refused for %d s", what.startsWith("a:")
                    ? "address " + what.substring(2)
                    : "API key " + what.substring(2), seconds(until - System.currentTimeMillis()));
        }
    }

    private long remaining(String what, long now) {
        Long until = blocked.get(what);
        if (until == null) {
            return 0;
        }
        if (until <= now) {
            blocked.remove(what, until);
            return 0;
        }
        return until - now;
    }

    private boolean recentlyTrusted(String keyId, String address, long now) {
        Map<String, Long> addresses = trusted.get(keyId);
        Long last = addresses == null ? null : addresses.get(address);
        return last != null && now - last < TRUST_MILLIS;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
