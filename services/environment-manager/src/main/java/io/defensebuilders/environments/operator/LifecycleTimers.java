package io.defensebuilders.environments.operator;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.defensebuilders.environments.Durations;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.Phase;

/**
 * The lifecycle timers of one environment (ttl, idle timeout, sleep retention): what each decides at a given instant,
 * and when the next one falls due. Pure: it reads the spec and status it is given and changes nothing but the
 * recorded last activity.
 */
final class LifecycleTimers {

    private final Duration sleepRetention;
    private final Duration resync;
    private final Duration expiryWarning;

    /**
     * @param sleepRetention how long a non-persistent environment may sleep before it is deleted
     * @param resync the longest wait before an environment is looked at again
     * @param expiryWarning how long before the ttl runs out the environment says so (at most a quarter of the ttl)
     */
    LifecycleTimers(Duration sleepRetention, Duration resync, Duration expiryWarning) {
        this.sleepRetention = sleepRetention;
        this.resync = resync;
        this.expiryWarning = expiryWarning;
    }

    /** When the ttl runs out, counted from {@code startedAt}; null without a ttl. */
    Instant expiresAt(EnvironmentSpec spec, Instant startedAt) {
        return spec.ttl == null ? null : startedAt.plus(Durations.parse(spec.ttl));
    }

    /**
     * When to say that the ttl runs out soon: {@code expiry-warning} before it, at most a quarter of the ttl; null without a
     * ttl.
     */
    Instant warnAt(EnvironmentSpec spec, Instant expiresAt) {
        if (expiresAt == null || spec.ttl == null) {
            return null;
        }
        Duration quarter = Durations.parse(spec.ttl).dividedBy(4);
        return expiresAt.minus(quarter.compareTo(expiryWarning) < 0 ? quarter : expiryWarning);
    }

    /** Whether to say at {@code now} that the ttl runs out soon: in the warning window, not yet said for this expiry. */
    boolean expiring(EnvironmentSpec spec, EnvironmentStatus status, Instant expiresAt, Instant now) {
        Instant warnAt = warnAt(spec, expiresAt);
        return warnAt != null && !now.isBefore(warnAt) && now.isBefore(expiresAt)
                && !expiresAt.toString().equals(status.expiryWarnedFor);
    }

    /** Why the environment is deleted at {@code now} because its ttl ran out; empty while it has time left. */
    Optional<String> ttlRanOut(EnvironmentSpec spec, Instant expiresAt, Instant now) {
        if (expiresAt == null || now.isBefore(expiresAt)) {
            return Optional.empty();
        }
        return Optional.of("the ttl of " + spec.ttl + " ran out");
    }

    /**
     * The last activity: {@code status.lastActivityAt} (or the start), or the last-activity annotation when that is
     * later, which is then recorded in the status. An unreadable annotation is no activity.
     */
    Instant lastActivity(EnvironmentStatus status, Map<String, String> annotations) {
        Instant last = Instant.parse(status.lastActivityAt == null ? status.startedAt : status.lastActivityAt);
        String annotated = annotations == null ? null : annotations.get(Labels.LAST_ACTIVITY);
        if (annotated != null) {
            try {
                Instant a = Instant.parse(annotated);
                if (a.isAfter(last)) {
                    last = a;
                    status.lastActivityAt = a.toString();
                }
            } catch (DateTimeParseException ignored) {
                // a bad annotation is no activity
            }
        }
        return last;
    }

    /** Whether the idle timeout puts the environment to sleep at {@code now}: only an awake, Ready one can idle. */
    boolean idleTimedOut(EnvironmentSpec spec, Phase phase, Instant lastActivity, Instant now) {
        return !spec.sleeping && spec.idleTimeout != null && phase == Phase.Ready
                && !now.isBefore(lastActivity.plus(Durations.parse(spec.idleTimeout)));
    }

    /** The message of an environment the idle timeout put to sleep. */
    String idleMessage(EnvironmentSpec spec) {
        return "asleep after " + spec.idleTimeout + " without activity";
    }

    /**
     * Why the environment is deleted at {@code now} because it slept longer than the sleep retention; empty when it
     * is awake, persistent, or has slept less.
     */
    Optional<String> sleptTooLong(EnvironmentSpec spec, EnvironmentStatus status, Instant now) {
        if (!spec.sleeping || status.sleepingSince == null || spec.persistent) {
            return Optional.empty();
        }
        Instant sleepEnds = Instant.parse(status.sleepingSince).plus(sleepRetention);
        if (now.isBefore(sleepEnds)) {
            return Optional.empty();
        }
        return Optional.of("asleep for longer than " + sleepRetention.toHours() + "h");
    }

    /** When to look again even if nothing changes: when the nearest timer is due, at most one resync away. */
    Duration nextLook(EnvironmentSpec spec, EnvironmentStatus status, Instant now) {
        Duration next = resync;
        List<Instant> timers = new ArrayList<>();
        if (status.expiresAt != null) {
            timers.add(Instant.parse(status.expiresAt));
            Instant warnAt = warnAt(spec, Instant.parse(status.expiresAt));
            if (warnAt != null && !status.expiresAt.equals(status.expiryWarnedFor) && warnAt.isAfter(now)) {
                timers.add(warnAt);
            }
        }
        if (!spec.sleeping && spec.idleTimeout != null && status.lastActivityAt != null) {
            timers.add(Instant.parse(status.lastActivityAt).plus(Durations.parse(spec.idleTimeout)));
        }
        if (spec.sleeping && !spec.persistent && status.sleepingSince != null) {
            timers.add(Instant.parse(status.sleepingSince).plus(sleepRetention));
        }
        for (Instant t : timers) {
            Duration until = Duration.between(now, t);
            if (until.compareTo(next) < 0) {
                next = until.isNegative() ? Duration.ZERO : until;
            }
        }
        return next;
    }
}
