package io.defensebuilders.environments.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.environments.grpc.Resolution;
import io.defensebuilders.environments.messaging.EnvironmentEvents;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * Phase changes and what they emit: each lifecycle event once per change (a resync that finds the same phase emits
 * nothing), and the minutes of a Ready period counted when it ends.
 */
class PhaseTransitionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<Resolution> TWO_SDKS = List.of(sdk("tak-server"), sdk("foundry-cli"));

    private final List<String> emitted = new ArrayList<>();
    private final PhaseTransitions phases = new PhaseTransitions(new EnvironmentEvents(null, null) {
        @Override
        public void lifecycle(Environment env, String type, Phase phase, String reason, Instant at, String fact) {
            emitted.add(type + " " + phase + " " + fact + (reason == null ? "" : " (" + reason + ")"));
        }

        @Override
        public long countMinutes(Environment env, Instant readySince, Instant until) {
            emitted.add("minutes " + readySince + ".." + until);
            return 0;
        }
    });
    private final Environment env = environment();

    @Test
    void theFirstLookStartsItPendingAndSaysItWasCreated() {
        EnvironmentStatus status = new EnvironmentStatus();
        phases.begin(env, status, 3, T0);
        assertEquals(Phase.Pending, status.phase());
        assertEquals(T0.toString(), status.startedAt);
        assertEquals(T0.toString(), status.lastActivityAt);
        assertEquals(3L, status.observedGeneration);
        assertEquals("env-demo", status.namespace);
        assertEquals(List.of(EnvironmentsV1.CREATED + " Pending created"), emitted);

        status.phase(Phase.Ready);
        phases.begin(env, status, 4, T0.plusSeconds(60));
        assertEquals(Phase.Ready, status.phase(), "a later look keeps the phase");
        assertEquals(T0.toString(), status.startedAt);
        assertEquals(4L, status.observedGeneration);
        assertEquals(1, emitted.size());
    }

    @Test
    void readyOnceEverySdkIsAvailableAndSaidOnce() {
        EnvironmentStatus before = status(Phase.Provisioning);
        EnvironmentStatus status = status(Phase.Provisioning);
        phases.awake(env, before, status, TWO_SDKS, List.of("foundry-cli"), T0);
        assertEquals(Phase.Provisioning, status.phase());
        assertEquals("waiting for foundry-cli to become available", status.message);
        assertEquals("WorkloadsUnavailable", ready(status).getReason());
        assertEquals(List.of(), emitted);

        phases.awake(env, before, status, TWO_SDKS, List.of(), T0);
        assertEquals(Phase.Ready, status.phase());
        assertEquals("ready: 2 SDK(s) available", status.message);
        assertEquals("True", ready(status).getStatus());
        assertEquals(T0.toString(), status.readySince);
        assertEquals(List.of(EnvironmentsV1.READY + " Ready ready:" + T0), emitted);

        EnvironmentStatus later = status(Phase.Ready);
        later.readySince = T0.toString();
        phases.awake(env, status(Phase.Ready), later, TWO_SDKS, List.of(), T0.plusSeconds(60));
        assertEquals(T0.toString(), later.readySince, "the Ready period goes on");
        assertEquals(1, emitted.size(), "still Ready: nothing new");
    }

    @Test
    void withoutSdksItIsReadyAtOnce() {
        EnvironmentStatus status = status(Phase.Provisioning);
        phases.awake(env, status(Phase.Provisioning), status, List.of(), List.of(), T0);
        assertEquals(Phase.Ready, status.phase());
        assertEquals("ready (no SDKs)", status.message);
    }

    @Test
    void aWorkloadGoingDownEndsTheReadyPeriodAndCountsItsMinutes() {
        EnvironmentStatus status = status(Phase.Ready);
        status.readySince = T0.toString();
        Instant now = T0.plus(Duration.ofMinutes(5));
        phases.awake(env, status(Phase.Ready), status, TWO_SDKS, List.of("tak-server", "foundry-cli"), now);
        assertEquals(Phase.Provisioning, status.phase());
        assertEquals("waiting for tak-server, foundry-cli to become available", status.message);
        assertNull(status.readySince);
        assertEquals(List.of("minutes " + T0 + ".." + now), emitted);
    }

    @Test
    void fallingAsleepEndsTheReadyPeriodAndIsSaidOnce() {
        EnvironmentStatus status = status(Phase.Ready);
        status.readySince = T0.toString();
        Instant now = T0.plus(Duration.ofMinutes(30));
        phases.asleep(env, status(Phase.Ready), status, now);
        assertEquals(Phase.Sleeping, status.phase());
        assertEquals(now.toString(), status.sleepingSince);
        assertNull(status.readySince);
        assertEquals("asleep: workloads scaled to zero, data kept", status.message);
        assertEquals("Sleeping", ready(status).getReason());
        assertEquals(List.of("minutes " + T0 + ".." + now, EnvironmentsV1.SLEEPING + " Sleeping sleeping:" + now
                + " (asleep: workloads scaled to zero, data kept)"), emitted);

        phases.asleep(env, status(Phase.Sleeping), status, now.plusSeconds(60));
        assertEquals(now.toString(), status.sleepingSince, "asleep since then");
        assertEquals(2, emitted.size(), "still asleep: nothing new");
    }

    @Test
    void theIdleTimeoutsMessageIsKeptWhileAsleep() {
        EnvironmentStatus status = status(Phase.Ready);
        status.message = "asleep after 30m without activity";
        phases.asleep(env, status(Phase.Ready), status, T0);
        assertEquals("asleep after 30m without activity", status.message);
    }

    @Test
    void wakingIsSaidOnceAndCountsAsActivity() {
        EnvironmentStatus status = status(Phase.Sleeping);
        status.sleepingSince = T0.toString();
        Instant now = T0.plus(Duration.ofHours(3));
        phases.awake(env, status(Phase.Sleeping), status, TWO_SDKS, List.of("tak-server"), now);
        assertNull(status.sleepingSince);
        assertEquals(now.toString(), status.lastActivityAt);
        assertEquals(Phase.Provisioning, status.phase());
        assertEquals(List.of(EnvironmentsV1.WOKEN + " Provisioning woken:" + T0), emitted);
    }

    @Test
    void aFailureIsSaidOncePerMessage() {
        EnvironmentStatus status = status(Phase.Ready);
        status.readySince = T0.toString();
        Instant now = T0.plus(Duration.ofMinutes(2));
        phases.failed(env, status(Phase.Ready), status, "registry down", now, "unresolved:1:false");
        assertEquals(Phase.Failed, status.phase());
        assertEquals("registry down", status.message);
        assertEquals("False", ready(status).getStatus());
        assertNull(status.readySince);
        assertEquals(List.of("minutes " + T0 + ".." + now,
                EnvironmentsV1.FAILED + " Failed failed:unresolved:1:false (registry down)"), emitted);

        EnvironmentStatus failed = status(Phase.Failed);
        failed.message = "registry down";
        phases.failed(env, failed, status(Phase.Failed), "registry down", now, "unresolved:1:false");
        assertEquals(2, emitted.size(), "the same failure again: nothing new");
        phases.failed(env, failed, status(Phase.Failed), "no such SDK", now, "unresolved:2:true");
        assertEquals(EnvironmentsV1.FAILED + " Failed failed:unresolved:2:true (no such SDK)", emitted.getLast());
    }

    private static Condition ready(EnvironmentStatus status) {
        return status.conditions.stream().filter(c -> c.getType().equals(Conditions.READY)).findFirst().orElseThrow();
    }

    private static EnvironmentStatus status(Phase phase) {
        EnvironmentStatus status = new EnvironmentStatus();
        status.phase(phase);
        status.observedGeneration = 1L;
        status.startedAt = T0.toString();
        status.lastActivityAt = T0.toString();
        return status;
    }

    private static Environment environment() {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName("demo").withUid("uid-1").build());
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tenant = "acme";
        spec.owner = "alice";
        env.setSpec(spec);
        return env;
    }

    private static Resolution sdk(String name) {
        return new Resolution(name, "1.0.0", "registry.example/" + name, "sha256:" + "0".repeat(64), List.of(),
                Map.of(), null, null, List.of(), List.of(), null);
    }
}
