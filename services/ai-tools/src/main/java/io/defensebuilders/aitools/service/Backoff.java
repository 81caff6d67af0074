package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The wait before the next attempt of work that failed: exponential, capped at an hour, with ±20 % jitter. */
final class Backoff {

    private static final Duration LONGEST = Duration.ofHours(1);

    private Backoff() {
    }

    /** The wait after the {@code attempt}-th failure: {@code first} doubled {@code attempt - 1} times. */
    static Duration after(int attempt, Duration first) {
        long base = first.toMillis() << Math.min(Math.max(attempt, 1) - 1, 20);
        long capped = Math.min(base, LONGEST.toMillis());
        return Duration.ofMillis((long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }
}
