package io.defensebuilders.platform.events;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs a replica's main {@link BatchConsumerLoop} from startup to shutdown, when its config enables it. The
 * service's CDI bean extends this and says how a loop is made; tests make more loops the same way to crash them.
 */
public abstract class ConsumerLoopLifecycle<L extends BatchConsumerLoop> {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final AtomicInteger clients = new AtomicInteger();
    private volatile L main;

    /** Whether this replica consumes (its API works either way). */
    protected abstract boolean enabled();

    /** The main loop, configured, not started. */
    protected abstract L newMainLoop();

    /** A Kafka client id of this service not used before in this process: {@code prefix-N}. */
    protected String nextClientId(String prefix) {
        return prefix + "-" + clients.incrementAndGet();
    }

    /** Starts the main loop; public so that the container can call it on a subclass of another package. */
    public void onStart(@Observes StartupEvent event) {
        if (enabled()) {
            L loop = newMainLoop();
            loop.startThread();
            main = loop;
        }
    }

    /** Lets the main loop finish its batch, commit and leave the group. */
    public void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        L loop = main;
        if (loop != null) {
            loop.stop(STOP_TIMEOUT);
        }
    }

    /** The loop this replica runs, when enabled. */
    public Optional<L> main() {
        return Optional.ofNullable(main);
    }
}
