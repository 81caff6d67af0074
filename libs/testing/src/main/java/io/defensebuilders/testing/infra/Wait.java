package io.defensebuilders.testing.infra;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a readiness probe until it answers, the process dies, or the deadline passes. */
final class Wait {

    private Wait() {
    }

    static void until(ServerProcess process, Duration timeout, Callable<Boolean> ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            try {
                if (ready.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + process.name(), e);
            }
        }
        throw new IllegalStateException(process.name() + " was not ready after " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (last probe: " + last + ")") + "; last lines of " + process.logFile() + ":\n"
                + process.tail(40));
    }
}
