package io.defensebuilders.environments.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.environments.grpc.Resolution;
import io.defensebuilders.environments.grpc.ResolutionException;
import io.defensebuilders.environments.grpc.SdkResolver;
import io.defensebuilders.environments.messaging.EnvironmentEvents;
import io.defensebuilders.environments.service.SpecValidator;
import io.defensebuilders.platform.problem.Problem.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;

/**
 * Brings one Environment to its desired state and reports what it found in its status. Idempotent: run it any
 * number of times; it repairs what drifted, rolls spec changes through, runs the ttl / idle / sleep timers against
 * the injected clock, and on deletion removes everything ({@link #cleanUp}) before the operator releases the finalizer.
 * It decides the order; each step is a class of its own.
 */
@ApplicationScoped
public class EnvironmentReconciler {

    private final KubernetesClient client;
    private final SpecValidator validator;
    private final Clock clock;
    private final LifecycleTimers timers;
    private final SdkPinning pinning;
    private final PhaseTransitions phases;
    private final StatusStore statuses;
    private final Provisioner provisioner;
    private final Deletion deletion;
    private final EnvironmentEvents events;

    public EnvironmentReconciler(KubernetesClient client, SpecValidator validator, SdkResolver resolver,
            EnvironmentEvents events, Clock clock, EnvironmentsConfig config, ObjectMapper json,
            QuarkusConfigurationService sdk) {
        this.client = client;
        this.validator = validator;
        this.clock = clock;
        this.timers = new LifecycleTimers(config.lifecycle().sleepRetention(), config.operator().resync(),
                config.lifecycle().expiryWarning());
        this.events = events;
        this.pinning = new SdkPinning(resolver::resolve, json);
        this.phases = new PhaseTransitions(events);
        this.statuses = new StatusStore(client);
        // server-side apply where the SDK uses it for its own writes (quarkus.operator-sdk.enable-ssa)
        this.provisioner = new Provisioner(client, sdk.ssaBasedCreateUpdateMatchForDependentResources());
        this.deletion = new Deletion(client, events, pinning);
    }

    /**
     * Reconciles {@code env} (as last seen); when it should be looked at again at the latest, or empty. A failure
     * that may pass (registry down, API conflict) throws, and the controller retries with backoff.
     */
    public Optional<Duration> reconcile(Environment env) {
        Instant now = clock.instant();
        if (env.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty(); // the operator calls cleanUp for a deleted one
        }
        EnvironmentStatus before = statuses.copy(env.getStatus());
        EnvironmentStatus status = statuses.copy(env.getStatus());
        long generation = Optional.ofNullable(env.getMetadata().getGeneration()).orElse(1L);
        phases.begin(env, status, generation, now);

        List<FieldError> errors = validator.validate(env.getMetadata().getName(), env.getSpec());
        if (!errors.isEmpty()) {
            String message = "invalid spec: " + errors.stream().map(e -> e.field() + ": " + e.message())
                    .collect(Collectors.joining("; "));
            Conditions.set(status, Conditions.VALID, false, "InvalidSpec", message, generation, now);
            fail(env, before, status, message, now, "invalid:" + generation);
            return Optional.empty();
        }
        Conditions.set(status, Conditions.VALID, true, "SpecAccepted", "the spec is valid", generation, now);
        EnvironmentSpec spec = env.getSpec();

        Instant expires = timers.expiresAt(spec, Instant.parse(status.startedAt));
        status.expiresAt = expires == null ? null : expires.toString();
        Optional<String> ttlRanOut = timers.ttlRanOut(spec, expires, now);
        if (ttlRanOut.isPresent()) {
            deletion.delete(env, ttlRanOut.get());
            return Optional.empty();
        }
        if (timers.expiring(spec, status, expires, now)) {
            // the event's id is the expiry time's: a retried reconcile sends the same event again, not another
            events.lifecycle(env, EnvironmentsV1.EXPIRING, status.phase() == null ? Phase.Pending : status.phase(),
                    "the ttl of " + spec.ttl + " runs out at " + expires, now, "expiring:" + expires);
            status.expiryWarnedFor = expires.toString();
        }

        List<Resolution> sdks;
        try {
            sdks = pinning.resolve(env, generation);
        } catch (ResolutionException e) {
            Conditions.set(status, Conditions.SDKS_RESOLVED, false,
                    e.permanent() ? "UnresolvableSdk" : "RegistryUnavailable", e.getMessage(), generation, now);
            fail(env, before, status, e.getMessage(), now, "unresolved:" + generation + ":" + e.permanent());
            if (e.permanent()) {
                return Optional.empty();
            }
            throw new RetryableException(e.getMessage());
        }
        Conditions.set(status, Conditions.SDKS_RESOLVED, true, "Resolved", sdks.stream()
                .map(s -> s.name() + "@" + s.version()).collect(Collectors.joining(", ", "resolved ", "")),
                generation, now);
        status.sdks = sdks.stream().map(s -> new EnvironmentStatus.ResolvedSdk(s.name(), s.version(), s.imageRef()))
                .toList();

        Instant activity = timers.lastActivity(status, env.getMetadata().getAnnotations());
        if (timers.idleTimedOut(spec, status.phase(), activity, now)) {
            env = putToSleep(env);
            spec = env.getSpec();
            status.message = timers.idleMessage(spec);
        }
        Optional<String> sleptTooLong = timers.sleptTooLong(spec, status, now);
        if (sleptTooLong.isPresent()) {
            deletion.delete(env, sleptTooLong.get());
            return Optional.empty();
        }

        if (!status.is(Phase.Ready) && !status.is(Phase.Sleeping)) {
            status.phase(Phase.Provisioning);
        }
        List<HasMetadata> desired = DesiredState.of(env, sdks);
        Optional<String> taken = provisioner.namespaceTaken(env);
        if (taken.isPresent()) {
            Conditions.set(status, Conditions.PROVISIONED, false, "NamespaceTaken", taken.get(), generation, now);
            fail(env, before, status, taken.get(), now, "namespace-taken:" + generation);
            return Optional.empty();
        }
        int changed = provisioner.apply(desired);
        provisioner.prune(env, desired);
        Conditions.set(status, Conditions.PROVISIONED, true, "Applied", desired.size() + " objects in namespace "
                + env.namespace() + (changed > 0 ? " (" + changed + " created or repaired)" : ""), generation, now);
        status.endpoints = Provisioner.endpoints(desired);

        if (env.getSpec().sleeping) {
            phases.asleep(env, before, status, now);
        } else {
            phases.awake(env, before, status, sdks, provisioner.waitingFor(env, sdks), now);
        }
        statuses.write(env, before, status);
        return Optional.of(timers.nextLook(env.getSpec(), status, now));
    }

    /**
     * A deleted Environment, still held by the finalizer: counts its last minutes, removes every object, emits the
     * deleted event. The operator releases the finalizer when this returns.
     */
    public void cleanUp(Environment env) {
        deletion.cleanUp(env, clock.instant());
    }

    private void fail(Environment env, EnvironmentStatus before, EnvironmentStatus status, String message, Instant now,
            String fact) {
        phases.failed(env, before, status, message, now, fact);
        statuses.write(env, before, status);
    }

    /** Sets spec.sleeping, as the idle timeout asks; the environment as the API server now has it. */
    private Environment putToSleep(Environment env) {
        return client.resource(env).edit(e -> {
            e.getSpec().sleeping = true;
            return e;
        });
    }

    /** A failure worth retrying with backoff. */
    public static class RetryableException extends RuntimeException {
        public RetryableException(String message) {
            super(message, null, false, false);
        }
    }
}
