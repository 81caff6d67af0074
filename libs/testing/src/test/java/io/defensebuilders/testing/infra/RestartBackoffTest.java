package io.defensebuilders.testing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void doublesFromOneSecondToThirtyAndStartsOverAfterAMinuteUp() {
        RestartBackoff backoff = RestartBackoff.standard();
        Duration quick = Duration.ofSeconds(2);
        long[] expected = { 1, 2, 4, 8, 16, 30, 30 };
        for (long seconds : expected) {
            assertEquals(Duration.ofSeconds(seconds), backoff.nextDelay(quick));
        }
        assertEquals(Duration.ofSeconds(1), backoff.nextDelay(Duration.ofSeconds(61)));
        assertEquals(Duration.ofSeconds(2), backoff.nextDelay(quick));
    }
}
