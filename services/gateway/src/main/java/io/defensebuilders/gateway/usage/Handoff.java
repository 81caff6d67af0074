package io.defensebuilders.gateway.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * What the request path hands to one background thread: a bounded lock-free queue (no lock, no wake-up per item)
 * that the thread empties in batches, pausing {@code pauseMillis} whenever it finds it empty. Stopping lets the thread
 * take what is still queued before it ends, so nothing handed over before a graceful shutdown is lost.
 */
final class Handoff<T> {

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final int maxBatch;
    private final long pauseNanos;
    private volatile boolean running = true;
    private Thread thread;

    Handoff(int capacity, int maxBatch, long pauseMillis) {
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
    }

    /** Queues an item; false when the queue is full (the consumer has fallen far behind). Never blocks. */
    boolean offer(T item) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.offer(item);
        return true;
    }

    /** Items queued and not yet taken (for a gauge). */
    AtomicInteger queued() {
        return queued;
    }

    /**
     * Starts the thread: {@code batch} gets up to {@code maxBatch} items at a time, {@code idle} runs each time the
     * queue is found empty (and once at the end), before the pause.
     */
    void start(String name, Consumer<List<T>> batch, Runnable idle) {
        thread = Thread.ofPlatform().name(name).daemon().start(() -> {
            List<T> items = new ArrayList<>(maxBatch);
            while (running || !queue.isEmpty()) {
                T next;
                while (items.size() < maxBatch && (next = queue.poll()) != null) {
                    items.add(next);
                }
                if (items.isEmpty()) {
                    idle.run();
                    LockSupport.parkNanos(pauseNanos);
                    continue;
                }
                queued.addAndGet(-items.size());
                batch.accept(items);
                items.clear();
            }
            idle.run();
        });
    }

    /** Lets the thread take what is queued, then end; waits for it at most {@code wait}. */
    void stop(Duration wait) throws InterruptedException {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            thread.join(wait);
        }
    }
}
