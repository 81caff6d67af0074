package io.defensebuilders.gateway.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Values read on the request path and looked up elsewhere (Redis, a database, another service), kept so that calls
 * seldom wait for a lookup. A value is fresh for {@code ttl}; in its last {@code refreshAhead} one lookup runs in the
 * background to replace it, and for {@code stale} after it the value is still answered while one lookup replaces it.
 * Only when there is no value, or it is older than that, does a call wait, and calls for the same key then share one
 * lookup instead of each starting their own. A lookup that fails leaves the value as it was (it still expires when
 * it would have) and is not tried again in the background for {@code retry}; one whose failure {@code forgets} says
 * means the key is gone drops it. {@link #forget} also discards a lookup in flight, so what it read before cannot
 * come back.
 *
 * @param <V> the value
 */
final class RefreshingCache<V> {

    /** How long values live and are refreshed, in milliseconds. */
    record Timing(long ttl, long refreshAhead, long stale, long retry) {
    }

    private record Entry<V>(V value, long expires, long retryAt) {
    }

    private final Function<String, Future<V>> lookup;
    private final Predicate<Throwable> forgets;
    private final Timing timing;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<String, Future<V>> inFlight = new ConcurrentHashMap<>();

    RefreshingCache(Function<String, Future<V>> lookup, Predicate<Throwable> forgets, Timing timing, int maxEntries,
            LongSupplier clock) {
        this.lookup = lookup;
        this.forgets = forgets;
        this.timing = timing;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value of {@code key}: at once when it has a usable one (refreshing it behind the call when due). */
    Future<V> get(String key) {
        Entry<V> hit = entries.get(key);
        if (hit == null) {
            return refresh(key);
        }
        long now = clock.getAsLong();
        if (now < hit.expires() - timing.refreshAhead()) {
            return Future.succeededFuture(hit.value());
        }
        if (now - hit.expires() >= timing.stale()) {
            return refresh(key);
        }
        if (now >= hit.retryAt()) {
            refresh(key);
        }
        return Future.succeededFuture(hit.value());
    }

    /** Drops what is kept for {@code key}, and the result of any lookup of it in flight: the next call looks again. */
    void forget(String key) {
        inFlight.remove(key);
        entries.remove(key);
    }

    /** The lookup of {@code key} in flight, started when there is none. */
    private Future<V> refresh(String key) {
        Future<V> running = inFlight.get(key);
        if (running != null) {
            return running;
        }
        Promise<V> promise = Promise.promise();
        Future<V> mine = promise.future();
        running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        Future<V> started;
        try {
            started = lookup.apply(key);
        } catch (RuntimeException e) {
            started = Future.failedFuture(e);
        }
        started.onComplete(ar -> {
            // a lookup that was forgotten while it ran answers its callers but is not kept
            if (inFlight.remove(key, mine)) {
                long now = clock.getAsLong();
                if (ar.succeeded()) {
                    if (entries.size() >= maxEntries) {
                        entries.clear();
                    }
                    entries.put(key, new Entry<>(ar.result(), now + timing.ttl(), 0));
                } else if (forgets.test(ar.cause())) {
                    entries.remove(key);
                } else {
                    entries.computeIfPresent(key, (k, old) -> new Entry<>(old.value(), old.expires(),
                            now + timing.retry()));
                }
            }
            promise.handle(ar);
        });
        return mine;
    }
}
