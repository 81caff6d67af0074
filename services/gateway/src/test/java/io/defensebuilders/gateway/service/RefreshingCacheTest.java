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

/** Only a key's first call waits for a lookup; old values are refreshed behind the calls, one lookup at a time. */
class RefreshingCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> asked = new ArrayList<>();
    private final List<Promise<String>> pending = new ArrayList<>();
    private final RefreshingCache<String> cache = new RefreshingCache<>(key -> {
        asked.add(key);
        Promise<String> p = Promise.promise();
        pending.add(p);
        return p.future();
    }, e -> e instanceof IllegalStateException, 30_000, 1_000, 1_000, now::get);

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
}
