package io.defensebuilders.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The upstream breaker's rule, without a server: consecutive failures open it, one trial call after the reset. */
class BreakerTest {

    @Test
    void consecutiveFailuresOpenItAndOneTrialAfterTheResetClosesIt() throws InterruptedException {
        Breaker b = new Breaker(3, 200);
        b.failed();
        b.failed();
        b.succeeded(); // a success in between starts the count again
        b.failed();
        b.failed();
        assertFalse(b.open());
        assertTrue(b.allow());
        b.failed();
        assertTrue(b.open(), "three failures in a row");
        assertFalse(b.allow(), "refused until the reset time has passed");

        Thread.sleep(250); // past the 200 ms reset time
        assertTrue(b.allow(), "one trial call");
        assertFalse(b.allow(), "and only one while it runs");
        b.failed();
        assertTrue(b.open());
        assertFalse(b.allow(), "a failed trial opens it for another reset time");

        Thread.sleep(250); // past the reset time again
        assertTrue(b.allow());
        b.succeeded();
        assertFalse(b.open(), "a successful trial closes it");
        assertTrue(b.allow());
        assertTrue(b.allow());
    }
}
