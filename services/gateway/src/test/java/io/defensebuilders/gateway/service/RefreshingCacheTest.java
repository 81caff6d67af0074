package io.defensebuilders.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Calls seldom wait for a lookup: values are refreshed behind the calls, one lookup at a time per key. Two timings:
 * the tenant plans' (fresh 30 s, then answered however old while refreshed) and the API keys' (fresh 1 s, refreshed
 * in its last 250 ms, never used once older).
 */
class RefreshingCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> asked = new ArrayList<>();
    private final List<Promise<String>> pending = new ArrayList<>();
    private final RefreshingCache<String> cache = cache(new RefreshingCache.Timing(30_000, 0, Long.MAX_VALUE / 4, 1_000));
    private final RefreshingCache<String> keys = cache(new RefreshingCache.Timing(1_000, 250, 0, 250));

    private RefreshingCache<String> cache(RefreshingCache.Timing timing) {
        return new RefreshingCache<>(key -> {
            asked.add(key);
            Promise<String> p = Promise.promise();
            pending.add(p);
            return p.future();
        }, e -> e instanceof IllegalStateException, timing, 1_000, now::get);
    }

    @Test
    void callsForAKeyNotSeenYetShareOneLookup() {
        Future<String> a = cache.get("t1");
        Future<String> b = cache.get("t1");
        Future<String> other = cache.get("t2");
        assertEquals(List.of("t1", "t2"), asked);
        assertFalse(a.isComplete());
        pending.get(0).complete("pro");
        assertEquals("pro", a.result());
        assertEquals("pro", b.result());
        assertFalse(other.isComplete());
    }

    @Test
    void anOldValueIsAnsweredAtOnceWhileOneLookupReplacesIt() {
        cache.get("t1");
        pending.get(0).complete("free");
        now.addAndGet(30_000);

        Future<String> during = cache.get("t1");
        Future<String> alsoDuring = cache.get("t1");
        assertTrue(during.isComplete(), "a known tenant's call does not wait for the refresh");
        assertEquals("free", during.result());
        assertEquals("free", alsoDuring.result());
        assertEquals(2, asked.size(), "one refresh, however many calls come while it runs");

        pending.get(1).complete("team");
        assertEquals("team", cache.get("t1").result());
        assertEquals(2, asked.size(), "fresh again: no lookup");
    }

    @Test
    void aFailedRefreshKeepsTheValueAndTriesAgainLater() {
        cache.get("t1");
        pending.get(0).complete("pro");
        now.addAndGet(31_000);
        cache.get("t1");
        pending.get(1).fail(new RuntimeException("database unreachable"));

        assertEquals("pro", cache.get("t1").result());
        assertEquals(2, asked.size(), "not asked again before the retry interval");
        now.addAndGet(1_000);
        assertEquals("pro", cache.get("t1").result());
        assertEquals(3, asked.size(), "asked again after it");
    }

    @Test
    void aLookupSayingTheKeyIsGoneDropsIt() {
        cache.get("t1");
        pending.get(0).complete("pro");
        now.addAndGet(30_000);
        cache.get("t1");
        pending.get(1).fail(new IllegalStateException("no such tenant"));

        Future<String> next = cache.get("t1");
        assertFalse(next.isComplete(), "the next call waits for a new lookup");
        pending.get(2).fail(new IllegalStateException("no such tenant"));
        assertTrue(next.failed());
    }

    @Test
    void aFirstLookupThatFailsFailsItsCallsAndTheNextCallAsksAgain() {
        Future<String> first = cache.get("t1");
        pending.get(0).fail(new RuntimeException("database unreachable"));
        assertTrue(first.failed());
        cache.get("t1");
        assertEquals(2, asked.size());
    }

    @Test
    void forgettingMakesTheNextCallLookUpAgain() {
        cache.get("t1");
        pending.get(0).complete("free");
        cache.forget("t1");
        Future<String> next = cache.get("t1");
        assertFalse(next.isComplete());
        pending.get(1).complete("enterprise");
        assertEquals("enterprise", next.result());
    }

    @Test
    void aValueDueSoonIsReadAgainAheadAndNeverUsedPastItsLife() {
        keys.get("k1");
        pending.get(0).complete("v1");
        now.addAndGet(700);
        assertEquals("v1", keys.get("k1").result());
        assertEquals(1, asked.size(), "not yet due");

        now.addAndGet(100); // in the last quarter of its second
        assertEquals("v1", keys.get("k1").result(), "answered at once");
        assertEquals(2, asked.size(), "and read again behind the call");

        now.addAndGet(200); // its second is over, the read has not answered
        Future<String> late = keys.get("k1");
        assertFalse(late.isComplete(), "an expired value is not used: the call waits for the read in flight");
        assertEquals(2, asked.size());
        pending.get(1).complete("v2");
        assertEquals("v2", late.result());
        assertEquals("v2", keys.get("k1").result());
    }

    @Test
    void aFailedReadAheadDoesNotLengthenTheValuesLife() {
        keys.get("k1");
        pending.get(0).complete("v1");
        now.addAndGet(800);
        keys.get("k1");
        pending.get(1).fail(new RuntimeException("Redis unreachable"));
        now.addAndGet(100);
        assertEquals("v1", keys.get("k1").result());
        assertEquals(2, asked.size(), "not read again within the retry interval");

        now.addAndGet(100);
        assertFalse(keys.get("k1").isComplete(), "expired when it would have");
        assertEquals(3, asked.size());
    }

    @Test
    void forgettingDiscardsWhatALookupInFlightReads() {
        keys.get("k1");
        pending.get(0).complete("v1");
        now.addAndGet(800);
        keys.get("k1"); // a read ahead starts
        keys.forget("k1"); // e.g. the key is revoked meanwhile
        pending.get(1).complete("v1 as read before the revocation");

        Future<String> next = keys.get("k1");
        assertFalse(next.isComplete(), "what the discarded read found is not kept");
        assertEquals(3, asked.size());
        pending.get(2).complete("revoked");
        assertEquals("revoked", next.result());
    }
}
