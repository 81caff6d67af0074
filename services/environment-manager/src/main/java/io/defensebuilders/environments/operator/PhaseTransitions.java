package io.defensebuilders.environments.operator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.environments.grpc.Resolution;
import io.defensebuilders.environments.messaging.EnvironmentEvents;

/**
 * Sets an environment's phase, message and Ready condition from what a reconcile found, and emits what a change of
 * phase implies: the lifecycle event, and the minutes of a Ready period that ends. {@code before} is the status as
 * the reconcile found it, so an unchanged phase emits nothing again.
 */
final class PhaseTransitions {

    private final EnvironmentEvents events;

    PhaseTransitions(EnvironmentEvents events) {
        this.events = events;
    }

    /** Records what this reconcile looks at; on first sight, the start (Pending) and the created event. */
    void begin(Environment env, EnvironmentStatus status, long generation, Instant now) {
        status.observedGeneration = generation;
        status.namespace = env.namespace();
        if (status.startedAt == null) {
            status.startedAt = now.toString();
            status.lastActivityAt = now.toString();
            status.phase(Phase.Pending);
            events.lifecycle(env, EnvironmentsV1.CREATED, Phase.Pending, null, now, "created");
        }
    }

    /** Failed with {@code message}; {@code fact} names this failure for the event's id. */
    void failed(Environment env, EnvironmentStatus before, EnvironmentStatus status, String message, Instant now,
            String fact) {
        closeReadyPeriod(env, status, now);
        status.phase(Phase.Failed);
        status.message = message;
        Conditions.set(status, Conditions.READY, false, "Failed", message, status.observedGeneration, now);
        if (!before.is(Phase.Failed) || !Objects.equals(before.message, message)) {
            events.lifecycle(env, EnvironmentsV1.FAILED, Phase.Failed, message, now, "failed:" + fact);
        }
    }

    /** Sleeping (spec.sleeping): workloads at zero. Keeps a message that says why it fell asleep. */
    void asleep(Environment env, EnvironmentStatus before, EnvironmentStatus status, Instant now) {
        closeReadyPeriod(env, status, now);
        status.phase(Phase.Sleeping);
        if (status.sleepingSince == null) {
            status.sleepingSince = now.toString();
        }
        if (status.message == null || !status.message.startsWith("asleep")) {
            status.message = "asleep: workloads scaled to zero, data kept";
        }
        Conditions.set(status, Conditions.READY, false, "Sleeping", status.message, status.observedGeneration, now);
        if (!before.is(Phase.Sleeping)) {
            events.lifecycle(env, EnvironmentsV1.SLEEPING, Phase.Sleeping, status.message, now,
                    "sleeping:" + status.sleepingSince);
        }
    }

    /**
     * Awake: Ready when no SDK is {@code waiting} for an available replica, Provisioning otherwise. Waking from sleep
     * counts as activity.
     */
    void awake(Environment env, EnvironmentStatus before, EnvironmentStatus status, List<Resolution> sdks,
            List<String> waiting, Instant now) {
        long generation = status.observedGeneration;
        if (status.sleepingSince != null) {
            events.lifecycle(env, EnvironmentsV1.WOKEN, Phase.Provisioning, null, now,
                    "woken:" + status.sleepingSince);
            status.sleepingSince = null;
            status.lastActivityAt = now.toString();
        }
        if (waiting.isEmpty()) {
            status.phase(Phase.Ready);
            status.message = sdks.isEmpty() ? "ready (no SDKs)" : "ready: " + sdks.size() + " SDK(s) available";
            Conditions.set(status, Conditions.READY, true, "Available", status.message, generation, now);
            if (status.readySince == null) {
                status.readySince = now.toString();
            }
            if (!before.is(Phase.Ready)) {
                events.lifecycle(env, EnvironmentsV1.READY, Phase.Ready, null, now, "ready:" + status.readySince);
            }
        } else {
            closeReadyPeriod(env, status, now);
            status.phase(Phase.Provisioning);
            status.message = "waiting for " + String.join(", ", waiting) + " to become available";
            Conditions.set(status, Conditions.READY, false, "WorkloadsUnavailable", status.message, generation, now);
        }
    }

    /** Counts the last minutes of a Ready period that ends now. */
    void closeReadyPeriod(Environment env, EnvironmentStatus status, Instant now) {
        if (status.readySince != null) {
            events.countMinutes(env, Instant.parse(status.readySince), now);
            status.readySince = null;
        }
    }
}
