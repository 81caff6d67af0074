package io.defensebuilders.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that becomes true by itself (a recovery, a readiness change) until it does or time runs out. */
public final class Eventually {

    private Eventually() {
    }

    /** Whether {@code condition} held at some point within {@code within}, asked every 200 ms. */
    public static boolean within(Duration within, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }
}
