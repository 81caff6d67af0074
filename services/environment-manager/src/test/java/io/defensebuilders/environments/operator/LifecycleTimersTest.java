package io.defensebuilders.environments.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.Phase;

/** The ttl, idle and sleep-retention decisions at given instants, and when the next one is due. */
class LifecycleTimersTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final LifecycleTimers timers = new LifecycleTimers(Duration.ofDays(7), Duration.ofSeconds(60),
            Duration.ofHours(1));

    @Test
    void theTtlCountsFromTheStartAndRunsOutAtItsEnd() {
        EnvironmentSpec spec = spec();
        spec.ttl = "1h30m";
        Instant expires = timers.expiresAt(spec, START);
        assertEquals(START.plus(Duration.ofMinutes(90)), expires);

        assertEquals(Optional.empty(), timers.ttlRanOut(spec, expires, expires.minusMillis(1)));
        assertEquals(Optional.of("the ttl of 1h30m ran out"), timers.ttlRanOut(spec, expires, expires));
        assertEquals(Optional.of("the ttl of 1h30m ran out"), timers.ttlRanOut(spec, expires, expires.plusSeconds(1)));
    }

    @Test
    void theExpiryIsAnnouncedOnceAnHourAheadOrAQuarterOfAShortTtl() {
        EnvironmentSpec spec = spec();
        EnvironmentStatus status = status();
        spec.ttl = "8h";
        Instant expires = timers.expiresAt(spec, START);
        assertEquals(expires.minus(Duration.ofHours(1)), timers.warnAt(spec, expires));
        assertFalse(timers.expiring(spec, status, expires, expires.minus(Duration.ofMinutes(61))));
        assertTrue(timers.expiring(spec, status, expires, expires.minus(Duration.ofMinutes(60))));
        assertFalse(timers.expiring(spec, status, expires, expires), "expired: deleted, not announced");
        status.expiresAt = expires.toString();
        assertEquals(Duration.ofMinutes(1), timers.nextLook(spec, status, expires.minus(Duration.ofMinutes(61))),
                "the warning is a timer too");
        status.expiryWarnedFor = expires.toString();
        assertFalse(timers.expiring(spec, status, expires, expires.minus(Duration.ofMinutes(30))), "said once");
        assertEquals(Duration.ofSeconds(60), timers.nextLook(spec, status, expires.minus(Duration.ofMinutes(61))));
        // a new expiry (a longer ttl) is announced again
        spec.ttl = "10h";
        Instant later = timers.expiresAt(spec, START);
        assertTrue(timers.expiring(spec, status, later, later.minus(Duration.ofMinutes(10))));
        // a short ttl: a quarter of it ahead
        spec.ttl = "1h";
        assertEquals(START.plus(Duration.ofMinutes(45)), timers.warnAt(spec, timers.expiresAt(spec, START)));
    }

    @Test
    void withoutATtlNothingExpires() {
        assertNull(timers.expiresAt(spec(), START));
        assertEquals(Optional.empty(), timers.ttlRanOut(spec(), null, START.plus(Duration.ofDays(365))));
    }

    @Test
    void onlyAnAwakeReadyEnvironmentIdlesAndOnlyOnceItsTimeoutPassed() {
        EnvironmentSpec spec = spec();
        spec.idleTimeout = "30m";
        Instant due = START.plus(Duration.ofMinutes(30));

        assertFalse(timers.idleTimedOut(spec, Phase.Ready, START, due.minusMillis(1)));
        assertTrue(timers.idleTimedOut(spec, Phase.Ready, START, due));
        assertFalse(timers.idleTimedOut(spec, Phase.Provisioning, START, due), "still coming up");
        assertFalse(timers.idleTimedOut(spec, Phase.Failed, START, due));
        assertFalse(timers.idleTimedOut(spec, null, START, due));
        spec.sleeping = true;
        assertFalse(timers.idleTimedOut(spec, Phase.Ready, START, due), "already asleep");
        spec.sleeping = false;
        spec.idleTimeout = null;
        assertFalse(timers.idleTimedOut(spec, Phase.Ready, START, due.plus(Duration.ofDays(30))), "no timeout");
        spec.idleTimeout = "30m";
        assertEquals("asleep after 30m without activity", timers.idleMessage(spec));
    }

    @Test
    void aLaterActivityAnnotationCountsAndIsRecorded() {
        EnvironmentStatus status = status();
        Instant woken = START.plus(Duration.ofHours(2));
        assertEquals(woken, timers.lastActivity(status, Map.of(Labels.LAST_ACTIVITY, woken.toString())));
        assertEquals(woken.toString(), status.lastActivityAt);

        assertEquals(woken, timers.lastActivity(status, Map.of(Labels.LAST_ACTIVITY, START.toString())),
                "an older annotation changes nothing");
        assertEquals(woken, timers.lastActivity(status, Map.of(Labels.LAST_ACTIVITY, "yesterday")),
                "an unreadable annotation is no activity");
        assertEquals(woken, timers.lastActivity(status, null));
    }

    @Test
    void withoutARecordedActivityTheStartCounts() {
        EnvironmentStatus status = status();
        status.lastActivityAt = null;
        assertEquals(START, timers.lastActivity(status, Map.of()));
        assertNull(status.lastActivityAt);
    }

    @Test
    void sleepingLongerThanTheRetentionDeletesUnlessPersistent() {
        EnvironmentSpec spec = spec();
        spec.sleeping = true;
        EnvironmentStatus status = status();
        status.sleepingSince = START.toString();
        Instant ends = START.plus(Duration.ofDays(7));

        assertEquals(Optional.empty(), timers.sleptTooLong(spec, status, ends.minusMillis(1)));
        assertEquals(Optional.of("asleep for longer than 168h"), timers.sleptTooLong(spec, status, ends));
        spec.persistent = true;
        assertEquals(Optional.empty(), timers.sleptTooLong(spec, status, ends.plus(Duration.ofDays(100))));
        spec.persistent = false;
        spec.sleeping = false;
        assertEquals(Optional.empty(), timers.sleptTooLong(spec, status, ends), "woken: the retention is over");
        spec.sleeping = true;
        status.sleepingSince = null;
        assertEquals(Optional.empty(), timers.sleptTooLong(spec, status, ends), "not observed asleep yet");
    }

    @Test
    void theNextLookIsTheNearestTimerAtMostOneResyncAway() {
        EnvironmentSpec spec = spec();
        EnvironmentStatus status = status();
        assertEquals(Duration.ofSeconds(60), timers.nextLook(spec, status, START), "no timers: the resync");

        spec.idleTimeout = "30m";
        status.expiresAt = START.plusSeconds(40).toString();
        assertEquals(Duration.ofSeconds(40), timers.nextLook(spec, status, START), "the ttl first");
        assertEquals(Duration.ofSeconds(60), timers.nextLook(spec, status, START.minus(Duration.ofHours(1))));

        status.expiresAt = null;
        Instant now = START.plus(Duration.ofMinutes(29)).plusSeconds(30);
        assertEquals(Duration.ofSeconds(30), timers.nextLook(spec, status, now), "the idle timeout");
        assertEquals(Duration.ZERO, timers.nextLook(spec, status, START.plus(Duration.ofHours(1))), "overdue: now");

        spec.sleeping = true;
        status.sleepingSince = START.toString();
        Instant nearlyGone = START.plus(Duration.ofDays(7)).minusSeconds(5);
        assertEquals(Duration.ofSeconds(5), timers.nextLook(spec, status, nearlyGone), "the sleep retention");
        spec.persistent = true;
        assertEquals(Duration.ofSeconds(60), timers.nextLook(spec, status, nearlyGone), "persistent: no retention");
    }

    private static EnvironmentSpec spec() {
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tenant = "acme";
        spec.owner = "alice";
        return spec;
    }

    private static EnvironmentStatus status() {
        EnvironmentStatus status = new EnvironmentStatus();
        status.startedAt = START.toString();
        status.lastActivityAt = START.toString();
        return status;
    }
}
