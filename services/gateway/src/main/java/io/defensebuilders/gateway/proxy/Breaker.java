package io.defensebuilders.gateway.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream's circuit breaker: {@code maxFailures} consecutive failures open it, an open breaker refuses calls for
 * {@code resetMillis}, then lets one trial call through; its success closes the breaker, its failure opens it again
 * (a trial that never reports is given up after another {@code resetMillis}). A few atomics, because it is consulted
 * on every proxied call; Vert.x' breaker costs a promise, a task on the event loop and a lock per call.
 */
final class Breaker {

    private final int maxFailures;
    private final long resetMillis;
    private final AtomicInteger failures = new AtomicInteger();
    /** When the running trial call started; 0 when none runs. */
    private final AtomicLong probing = new AtomicLong();
    /** When the breaker opened for the last time; 0 while closed. */
    private volatile long openedAt;

    Breaker(int maxFailures, long resetMillis) {
        this.maxFailures = Math.max(1, maxFailures);
        this.resetMillis = resetMillis;
    }

    /** Whether a call may go to the upstream now: closed, or open for long enough and no other trial call running. */
    boolean allow() {
        long opened = openedAt;
        if (opened == 0) {
            return true;
        }
        long now = System.currentTimeMillis();
        long trial = probing.get();
        return now - opened >= resetMillis && (trial == 0 || now - trial >= resetMillis)
                && probing.compareAndSet(trial, now);
    }

    void succeeded() {
        if (openedAt != 0 || failures.get() != 0) {
            failures.set(0);
            openedAt = 0;
            probing.set(0);
        }
    }

    void failed() {
        if (failures.incrementAndGet() >= maxFailures || openedAt != 0) {
            openedAt = System.currentTimeMillis();
            probing.set(0);
        }
    }

    boolean open() {
        return openedAt != 0;
    }
}
