package io.defensebuilders.testing.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Restarts processes that exited when nobody asked them to, with {@link RestartBackoff}: polls each watched process
 * every 200 ms from one daemon thread, waits the backoff's delay, starts it again and logs each restart. A process
 * that is stopped on purpose is {@linkplain #hold held} first, so the supervisor leaves it alone.
 */
public final class Supervisor implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    /** What is watched: whether it is alive, and how to start it again (without waiting for it to be ready). */
    private static final class Watched {
        final String name;
        final BooleanSupplier alive;
        final Runnable restart;
        final RestartBackoff backoff = RestartBackoff.standard();
        volatile Instant startedAt = Instant.now();
        volatile Instant restartAt;
        volatile boolean held;
        volatile int restarts;

        Watched(String name, BooleanSupplier alive, Runnable restart) {
            this.name = name;
            this.alive = alive;
            this.restart = restart;
        }
    }

    /** One unexpected exit: which process, when it was found gone, and the delay before its restart. */
    public record Restart(String name, Instant exitedAt, Duration delay) {
    }

    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final List<Restart> history = new CopyOnWriteArrayList<>();
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;

    public Supervisor(Consumer<String> log) {
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("supervisor").start(this::loop);
    }

    /** Watches {@code name}, which has just been started. */
    public void watch(String name, BooleanSupplier alive, Runnable restart) {
        watched.put(name, new Watched(name, alive, restart));
    }

    /** Leaves {@code name} alone until {@link #release}: it is being stopped or restarted on purpose. */
    public void hold(String name) {
        get(name).held = true;
    }

    /** Watches {@code name} again, as (re)started now. */
    public void release(String name) {
        Watched w = get(name);
        w.restartAt = null;
        w.startedAt = Instant.now();
        w.held = false;
    }

    /** How many times {@code name} was started again after it exited on its own (counted once it was). */
    public int restarts(String name) {
        return get(name).restarts;
    }

    public List<Restart> history() {
        return List.copyOf(history);
    }

    private Watched get(String name) {
        Watched w = watched.get(name);
        if (w == null) {
            throw new IllegalArgumentException("not supervised: " + name);
        }
        return w;
    }

    private void loop() {
        while (running) {
            for (Watched w : watched.values()) {
                if (running && !w.held) {
                    check(w);
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(Watched w) {
        if (w.restartAt == null) {
            if (w.alive.getAsBoolean()) {
                return;
            }
            Instant now = Instant.now();
            Duration delay = w.backoff.nextDelay(Duration.between(w.startedAt, now));
            w.restartAt = now.plus(delay);
            log.accept(w.name + " exited unexpectedly after " + Duration.between(w.startedAt, now).toSeconds()
                    + " s up; restarting in " + delay.toMillis() + " ms");
            history.add(new Restart(w.name, now, delay));
            return;
        }
        if (Instant.now().isBefore(w.restartAt)) {
            return;
        }
        w.startedAt = Instant.now();
        w.restartAt = null;
        try {
            w.restart.run();
            log.accept(w.name + " restarted (restart " + (w.restarts + 1) + ")");
        } catch (RuntimeException e) {
            // it counts as a crash right away: the next check finds it dead and backs off further
            log.accept(w.name + " failed to restart (restart " + (w.restarts + 1) + "): " + e.getMessage());
        } finally {
            // counted once the new process is there: whoever waits for the count may then wait for the process
            w.restarts++;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
