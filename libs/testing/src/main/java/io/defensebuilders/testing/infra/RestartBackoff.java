package io.defensebuilders.testing.infra;

import java.time.Duration;

/**
 * How long to wait before restarting a process that exited unexpectedly: 1 s, then twice as long after each crash
 * that follows quickly (2 s, 4 s ...), never more than 30 s; a process that stayed up a minute starts from 1 s again.
 * The one policy of {@link Supervisor}, which the test fleet and {@code ./platform up} both use.
 */
public final class RestartBackoff {

    private final Duration initial;
    private final Duration max;
    private final Duration stableAfter;
    private int quickCrashes;

    public RestartBackoff(Duration initial, Duration max, Duration stableAfter) {
        this.initial = initial;
        this.max = max;
        this.stableAfter = stableAfter;
    }

    /** 1 s doubling to at most 30 s, reset after a minute up. */
    public static RestartBackoff standard() {
        return new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    /**
     * The delay before the next start of a process that ran for {@code uptime} and then exited.
     */
    public synchronized Duration nextDelay(Duration uptime) {
        if (uptime.compareTo(stableAfter) >= 0) {
            quickCrashes = 0;
        }
        // 2^n saturates long before it overflows: 30 s is reached after five doublings
        long millis = initial.toMillis() << Math.min(quickCrashes, 20);
        quickCrashes++;
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
