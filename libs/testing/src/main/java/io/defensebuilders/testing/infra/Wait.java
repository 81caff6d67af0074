package io.defensebuilders.testing.infra;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;

/** Polls a readiness probe until it answers, the process dies, or the deadline passes. */
final class Wait {

    private Wait() {
    }

    static void until(ServerProcess process, Duration timeout, Callable<Boolean> ready) {
        AtomicReference<Exception> last = new AtomicReference<>();
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                // a process that died fails at once, with its log, rather than after the whole timeout
                process.requireAlive();
                try {
                    return ready.call();
                } catch (Exception e) {
                    last.set(e);
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(process.name() + " was not ready after " + timeout.toSeconds() + " s"
                    + (last.get() == null ? "" : " (last probe: " + last.get() + ")") + "; last lines of "
                    + process.logFile() + ":\n" + process.tail(40));
        }
    }
}
