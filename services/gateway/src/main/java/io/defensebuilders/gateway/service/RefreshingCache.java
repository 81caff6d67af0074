package io.defensebuilders.gateway.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Values read on the request path and looked up elsewhere (a database, another service), kept so that a call waits
 * for a lookup only the first time its key is seen. Once a value is older than {@code ttl} the call still gets it at
 * once and one lookup runs in the background to replace it (stale while revalidating); calls for a key not seen yet
 * share one lookup instead of each starting their own. A lookup that fails keeps the old value and is tried again
 * after {@code retryMillis}, unless {@code forgets} says the failure means the key is gone, which drops it.
 *
 * @param <V> the value
 */
final class RefreshingCache<V> {

    private record Entry<V>(V value, long expires) {
    }

    private final Function<String, Future<V>> lookup;
    private final Predicate<Throwable> forgets;
    private final long ttlMillis;
    private final long retryMillis;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<String, Future<V>> inFlight = new ConcurrentHashMap<>();

    RefreshingCache(Function<String, Future<V>> lookup, Predicate<Throwable> forgets, long ttlMillis, long retryMillis,
            int maxEntries, LongSupplier clock) {
        this.lookup = lookup;
        this.forgets = forgets;
        this.ttlMillis = ttlMillis;
        this.retryMillis = retryMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value of {@code key}: at once when it has one (refreshing it in the background when old), else looked up. */
    Future<V> get(String key) {
        Entry<V> hit = entries.get(key);
        if (hit == null) {
            return refresh(key);
        }
        if (hit.expires() <= clock.getAsLong()) {
            refresh(key);
        }
        return Future.succeededFuture(hit.value());
    }

    /** Drops what is kept for {@code key}: the next call looks it up again. */
    void forget(String key) {
        entries.remove(key);
    }

    /** The lookup of {@code key} in flight, started when there is none. */
    private Future<V> refresh(String key) {
        Future<V> running = inFlight.get(key);
        if (running != null) {
            return running;
        }
        Promise<V> promise = Promise.promise();
        running = inFlight.putIfAbsent(key, promise.future());
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
            if (ar.succeeded()) {
                if (entries.size() >= maxEntries) {
                    entries.clear();
                }
                entries.put(key, new Entry<>(ar.result(), clock.getAsLong() + ttlMillis));
            } else if (forgets.test(ar.cause())) {
                entries.remove(key);
            } else {
                entries.computeIfPresent(key, (k, old) -> new Entry<>(old.value(), clock.getAsLong() + retryMillis));
            }
            inFlight.remove(key);
            promise.handle(ar);
        });
        return promise.future();
    }
}
