package io.defensebuilders.environments.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.environments.Durations;
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
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Brings one Environment to its desired state and reports what it found in its status. Idempotent: run it any
 * number of times; it repairs what drifted, rolls spec changes through, runs the ttl / idle / sleep timers against
 * the injected clock, and on deletion removes everything before releasing the finalizer.
 */
@ApplicationScoped
public class EnvironmentReconciler {

    public static final String VALID = "Valid";
    public static final String SDKS_RESOLVED = "SdksResolved";
    public static final String PROVISIONED = "Provisioned";
    public static final String READY = "Ready";

    private static final Logger LOG = Logger.getLogger(EnvironmentReconciler.class);

    /** Pinned resolutions per (uid, generation), so a resync asks the registry nothing. */
    private record Pinned(long generation, String sdks, List<Resolution> resolutions) {
    }

    private final KubernetesClient client;
    private final Applier applier;
    private final SpecValidator validator;
    private final SdkResolver resolver;
    private final EnvironmentEvents events;
    private final Clock clock;
    private final EnvironmentsConfig config;
    private final ObjectMapper json;
    private final Map<String, Pinned> pinned = new ConcurrentHashMap<>();

    public EnvironmentReconciler(KubernetesClient client, SpecValidator validator, SdkResolver resolver,
            EnvironmentEvents events, Clock clock, EnvironmentsConfig config, ObjectMapper json) {
        this.client = client;
        this.applier = new Applier(client);
        this.validator = validator;
        this.resolver = resolver;
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.json = json;
    }

    /**
     * Reconciles {@code env} (as last seen); when it should be looked at again at the latest, or empty. A failure
     * that may pass (registry down, API conflict) throws, and the controller retries with backoff.
     */
    public Optional<Duration> reconcile(Environment env) {
        Instant now = clock.instant();
        if (env.getMetadata().getDeletionTimestamp() != null) {
            finalizeDeletion(env, now);
            return Optional.empty();
        }
        if (!env.getFinalizers().contains(Environment.FINALIZER)) {
            env = client.resource(env).edit(e -> {
                e.getMetadata().getFinalizers().add(Environment.FINALIZER);
                return e;
            });
        }
        EnvironmentStatus before = copy(env.getStatus());
        EnvironmentStatus status = copy(env.getStatus());
        long generation = Optional.ofNullable(env.getMetadata().getGeneration()).orElse(1L);
        status.observedGeneration = generation;
        status.namespace = env.namespace();
        if (status.startedAt == null) {
            status.startedAt = now.toString();
            status.lastActivityAt = now.toString();
            status.phase = Phase.Pending.name();
            events.lifecycle(env, EnvironmentsV1.CREATED, Phase.Pending.name(), null, now, "created");
        }

        List<FieldError> errors = validator.validate(env.getMetadata().getName(), env.getSpec());
        if (!errors.isEmpty()) {
            String message = "invalid spec: " + errors.stream().map(e -> e.field() + ": " + e.message())
                    .collect(Collectors.joining("; "));
            condition(status, VALID, false, "InvalidSpec", message, generation, now);
            fail(env, before, status, message, now, "invalid:" + generation);
            return Optional.empty();
        }
        condition(status, VALID, true, "SpecAccepted", "the spec is valid", generation, now);
        EnvironmentSpec spec = env.getSpec();

        Instant started = Instant.parse(status.startedAt);
        Instant expires = spec.ttl == null ? null : started.plus(Durations.parse(spec.ttl));
        status.expiresAt = expires == null ? null : expires.toString();
        if (expires != null && !now.isBefore(expires)) {
            deleteFor(env, "the ttl of " + spec.ttl + " ran out");
            return Optional.empty();
        }

        List<Resolution> sdks;
        try {
            sdks = resolve(env, generation);
        } catch (ResolutionException e) {
            condition(status, SDKS_RESOLVED, false, e.permanent() ? "UnresolvableSdk" : "RegistryUnavailable",
                    e.getMessage(), generation, now);
            fail(env, before, status, e.getMessage(), now, "unresolved:" + generation + ":" + e.permanent());
            if (e.permanent()) {
                return Optional.empty();
            }
            throw new RetryableException(e.getMessage());
        }
        condition(status, SDKS_RESOLVED, true, "Resolved", sdks.stream().map(s -> s.name() + "@" + s.version())
                .collect(Collectors.joining(", ", "resolved ", "")), generation, now);
        status.sdks = sdks.stream().map(s -> new EnvironmentStatus.ResolvedSdk(s.name(), s.version(), s.imageRef()))
                .toList();

        // idle: sleep after idleTimeout without activity (only an awake, Ready environment can idle)
        Instant activity = lastActivity(env, status);
        if (!spec.sleeping && spec.idleTimeout != null && Phase.Ready.name().equals(status.phase)
                && !now.isBefore(activity.plus(Durations.parse(spec.idleTimeout)))) {
            env = client.resource(env).edit(e -> {
                e.getSpec().sleeping = true;
                return e;
            });
            spec = env.getSpec();
            status.message = "asleep after " + env.getSpec().idleTimeout + " without activity";
        }
        if (spec.sleeping && status.sleepingSince != null && !spec.persistent) {
            Instant sleepEnds = Instant.parse(status.sleepingSince).plus(config.lifecycle().sleepRetention());
            if (!now.isBefore(sleepEnds)) {
                deleteFor(env, "asleep for longer than " + config.lifecycle().sleepRetention().toHours() + "h");
                return Optional.empty();
            }
        }

        if (!Phase.Ready.name().equals(status.phase) && !Phase.Sleeping.name().equals(status.phase)) {
            status.phase = Phase.Provisioning.name();
        }
        List<HasMetadata> desired = DesiredState.of(env, sdks);
        Namespace existingNs = client.namespaces().withName(env.namespace()).get();
        if (existingNs != null && !env.getMetadata().getName().equals(label(existingNs, Labels.ENVIRONMENT))) {
            String message = "namespace " + env.namespace() + " exists and does not belong to this environment";
            condition(status, PROVISIONED, false, "NamespaceTaken", message, generation, now);
            fail(env, before, status, message, now, "namespace-taken:" + generation);
            return Optional.empty();
        }
        int changed = 0;
        for (HasMetadata object : desired) {
            if (applier.apply(object) != Applier.Change.NONE) {
                changed++;
            }
        }
        pruneWorkloads(env, desired);
        condition(status, PROVISIONED, true, "Applied", desired.size() + " objects in namespace " + env.namespace()
                + (changed > 0 ? " (" + changed + " created or repaired)" : ""), generation, now);
        status.endpoints = endpoints(desired);

        observe(env, before, status, sdks, now);
        status.conditions.sort(java.util.Comparator.comparing(Condition::getType));
        writeStatus(env, before, status);
        return Optional.of(nextLook(env.getSpec(), status, now));
    }

    /** Sets the phase from what the workloads report, and emits the events and usage a phase change implies. */
    private void observe(Environment env, EnvironmentStatus before, EnvironmentStatus status, List<Resolution> sdks,
            Instant now) {
        long generation = status.observedGeneration;
        boolean wasReady = Phase.Ready.name().equals(before.phase);
        boolean wasSleeping = Phase.Sleeping.name().equals(before.phase);
        if (env.getSpec().sleeping) {
            closeReadyPeriod(env, status, now);
            status.phase = Phase.Sleeping.name();
            if (status.sleepingSince == null) {
                status.sleepingSince = now.toString();
            }
            if (status.message == null || !status.message.startsWith("asleep")) {
                status.message = "asleep: workloads scaled to zero, data kept";
            }
            condition(status, READY, false, "Sleeping", status.message, generation, now);
            if (!wasSleeping) {
                events.lifecycle(env, EnvironmentsV1.SLEEPING, Phase.Sleeping.name(), status.message, now,
                        "sleeping:" + status.sleepingSince);
            }
            return;
        }
        if (status.sleepingSince != null) {
            events.lifecycle(env, EnvironmentsV1.WOKEN, Phase.Provisioning.name(), null, now,
                    "woken:" + status.sleepingSince);
            status.sleepingSince = null;
            status.lastActivityAt = now.toString();
        }
        List<String> waiting = new ArrayList<>();
        for (Resolution sdk : sdks) {
            Deployment d = client.apps().deployments().inNamespace(env.namespace())
                    .withName(DesiredState.workloadName(sdk.name())).get();
            int available = d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
                    : d.getStatus().getAvailableReplicas();
            if (available < 1) {
                waiting.add(sdk.name());
            }
        }
        if (waiting.isEmpty()) {
            status.phase = Phase.Ready.name();
            status.message = sdks.isEmpty() ? "ready (no SDKs)" : "ready: " + sdks.size() + " SDK(s) available";
            condition(status, READY, true, "Available", status.message, generation, now);
            if (status.readySince == null) {
                status.readySince = now.toString();
            }
            if (!wasReady) {
                events.lifecycle(env, EnvironmentsV1.READY, Phase.Ready.name(), null, now,
                        "ready:" + status.readySince);
            }
        } else {
            closeReadyPeriod(env, status, now);
            status.phase = Phase.Provisioning.name();
            status.message = "waiting for " + String.join(", ", waiting) + " to become available";
            condition(status, READY, false, "WorkloadsUnavailable", status.message, generation, now);
        }
    }

    /** Counts the last minutes of a Ready period that ends now. */
    private void closeReadyPeriod(Environment env, EnvironmentStatus status, Instant now) {
        if (status.readySince != null) {
            events.countMinutes(env, Instant.parse(status.readySince), now);
            status.readySince = null;
        }
    }

    private void fail(Environment env, EnvironmentStatus before, EnvironmentStatus status, String message, Instant now,
            String fact) {
        closeReadyPeriod(env, status, now);
        status.phase = Phase.Failed.name();
        status.message = message;
        condition(status, READY, false, "Failed", message, status.observedGeneration, now);
        if (!Phase.Failed.name().equals(before.phase) || !Objects.equals(before.message, message)) {
            events.lifecycle(env, EnvironmentsV1.FAILED, Phase.Failed.name(), message, now, "failed:" + fact);
        }
        status.conditions.sort(java.util.Comparator.comparing(Condition::getType));
        writeStatus(env, before, status);
    }

    /** The SDKs of this generation: pinned in memory, pinned by the REST API on the resource, or asked now. */
    private List<Resolution> resolve(Environment env, long generation) {
        String uid = env.getMetadata().getUid();
        String fingerprint = fingerprint(env.getSpec().sdks);
        Pinned hit = pinned.get(uid);
        if (hit != null && hit.generation() == generation && hit.sdks().equals(fingerprint)) {
            return hit.resolutions();
        }
        List<Resolution> resolutions = fromAnnotation(env, fingerprint);
        if (resolutions == null) {
            resolutions = resolver.resolve(env.getSpec().tenant, env.getSpec().sdks);
        }
        pinned.put(uid, new Pinned(generation, fingerprint, resolutions));
        return resolutions;
    }

    private List<Resolution> fromAnnotation(Environment env, String fingerprint) {
        String value = env.getMetadata().getAnnotations() == null ? null
                : env.getMetadata().getAnnotations().get(Labels.RESOLVED);
        if (value == null) {
            return null;
        }
        try {
            ResolvedAnnotation a = json.readValue(value, ResolvedAnnotation.class);
            return fingerprint.equals(a.sdks()) ? a.resolutions() : null;
        } catch (Exception e) {
            LOG.debugf("ignoring unreadable %s annotation on %s", Labels.RESOLVED, env.getMetadata().getName());
            return null;
        }
    }

    /** The annotation the REST API writes: the spec's SDKs (fingerprint) and what they resolved to. */
    public record ResolvedAnnotation(String sdks, List<Resolution> resolutions) {
    }

    /** A stable text for a list of SDK references. */
    public static String fingerprint(List<EnvironmentSpec.SdkRef> sdks) {
        if (sdks == null) {
            return "";
        }
        return sdks.stream().map(s -> s.name + "@" + (s.version == null ? "" : s.version))
                .collect(Collectors.joining(","));
    }

    private Instant lastActivity(Environment env, EnvironmentStatus status) {
        Instant last = Instant.parse(status.lastActivityAt == null ? status.startedAt : status.lastActivityAt);
        String annotated = env.getMetadata().getAnnotations() == null ? null
                : env.getMetadata().getAnnotations().get(Labels.LAST_ACTIVITY);
        if (annotated != null) {
            try {
                Instant a = Instant.parse(annotated);
                if (a.isAfter(last)) {
                    last = a;
                    status.lastActivityAt = a.toString();
                }
            } catch (java.time.format.DateTimeParseException ignored) {
                // a bad annotation is no activity
            }
        }
        return last;
    }

    private void deleteFor(Environment env, String reason) {
        LOG.infof("deleting environment %s: %s", env.getMetadata().getName(), reason);
        client.resource(env).edit(e -> {
            if (e.getMetadata().getAnnotations() == null) {
                e.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
            }
            e.getMetadata().getAnnotations().put(Labels.DELETION_REASON, reason);
            return e;
        });
        client.resources(Environment.class).withName(env.getMetadata().getName()).delete();
    }

    /** Deletion: count the last minutes, remove every object, emit the event, release the finalizer. */
    private void finalizeDeletion(Environment env, Instant now) {
        if (!env.getFinalizers().contains(Environment.FINALIZER)) {
            return;
        }
        EnvironmentStatus status = copy(env.getStatus());
        String ns = env.namespace();
        if (env.getSpec() != null && env.getSpec().tenant != null) {
            closeReadyPeriod(env, status, now);
        }
        String label = Labels.ENVIRONMENT + "=" + env.getMetadata().getName();
        Map<String, String> selector = Map.of(Labels.ENVIRONMENT, env.getMetadata().getName());
        client.apps().deployments().inNamespace(ns).withLabels(selector).delete();
        client.services().inNamespace(ns).withLabels(selector).delete();
        client.persistentVolumeClaims().inNamespace(ns).withLabels(selector).delete();
        client.network().v1().networkPolicies().inNamespace(ns).withLabels(selector).delete();
        client.rbac().roleBindings().inNamespace(ns).withLabels(selector).delete();
        client.serviceAccounts().inNamespace(ns).withLabels(selector).delete();
        client.limitRanges().inNamespace(ns).withLabels(selector).delete();
        client.resourceQuotas().inNamespace(ns).withLabels(selector).delete();
        Namespace namespace = client.namespaces().withName(ns).get();
        if (namespace != null && env.getMetadata().getName().equals(label(namespace, Labels.ENVIRONMENT))) {
            client.namespaces().withName(ns).delete();
        }
        if (env.getSpec() != null && env.getSpec().tenant != null) {
            String reason = env.getMetadata().getAnnotations() == null ? null
                    : env.getMetadata().getAnnotations().get(Labels.DELETION_REASON);
            events.lifecycle(env, EnvironmentsV1.DELETED, Phase.Deleting.name(), reason == null ? "deleted" : reason,
                    now, "deleted");
        }
        pinned.remove(env.getMetadata().getUid());
        client.resource(env).edit(e -> {
            e.getMetadata().getFinalizers().remove(Environment.FINALIZER);
            return e;
        });
        LOG.debugf("environment %s cleaned up (%s)", env.getMetadata().getName(), label);
    }

    /** Deletes workloads and network policies the spec no longer asks for (volumes are kept: they hold data). */
    private void pruneWorkloads(Environment env, List<HasMetadata> desired) {
        java.util.Set<String> wanted = desired.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .collect(Collectors.toSet());
        Map<String, String> selector = Map.of(Labels.ENVIRONMENT, env.getMetadata().getName());
        String ns = env.namespace();
        List<HasMetadata> existing = new ArrayList<>();
        existing.addAll(client.apps().deployments().inNamespace(ns).withLabels(selector).list().getItems());
        existing.addAll(client.services().inNamespace(ns).withLabels(selector).list().getItems());
        existing.addAll(client.network().v1().networkPolicies().inNamespace(ns).withLabels(selector).list().getItems());
        for (HasMetadata o : existing) {
            if (!wanted.contains(o.getKind() + "/" + o.getMetadata().getName())) {
                client.resource(o).delete();
            }
        }
    }

    private static List<EnvironmentStatus.Endpoint> endpoints(List<HasMetadata> desired) {
        List<EnvironmentStatus.Endpoint> out = new ArrayList<>();
        for (HasMetadata o : desired) {
            if (o instanceof Service s) {
                String sdk = s.getMetadata().getName();
                s.getSpec().getPorts().forEach(p -> out.add(new EnvironmentStatus.Endpoint(sdk.substring(4), p.getName(),
                        (p.getProtocol().equals("UDP") ? "udp://" : "tcp://") + sdk + "." + s.getMetadata().getNamespace()
                                + ".svc:" + p.getPort())));
            }
        }
        return out;
    }

    /** When to look again even if nothing changes: the nearest timer, at most one resync away. */
    private Duration nextLook(EnvironmentSpec spec, EnvironmentStatus status, Instant now) {
        Duration next = config.operator().resync();
        List<Instant> timers = new ArrayList<>();
        if (status.expiresAt != null) {
            timers.add(Instant.parse(status.expiresAt));
        }
        if (!spec.sleeping && spec.idleTimeout != null && status.lastActivityAt != null) {
            timers.add(Instant.parse(status.lastActivityAt).plus(Durations.parse(spec.idleTimeout)));
        }
        if (spec.sleeping && !spec.persistent && status.sleepingSince != null) {
            timers.add(Instant.parse(status.sleepingSince).plus(config.lifecycle().sleepRetention()));
        }
        for (Instant t : timers) {
            Duration until = Duration.between(now, t);
            if (until.compareTo(next) < 0) {
                next = until.isNegative() ? Duration.ZERO : until;
            }
        }
        return next;
    }

    private void writeStatus(Environment env, EnvironmentStatus before, EnvironmentStatus status) {
        if (sameStatus(before, status)) {
            return;
        }
        Environment copy = client.getKubernetesSerialization().clone(env);
        copy.setStatus(status);
        client.resource(copy).updateStatus();
    }

    private boolean sameStatus(EnvironmentStatus a, EnvironmentStatus b) {
        return client.getKubernetesSerialization().asJson(a).equals(client.getKubernetesSerialization().asJson(b));
    }

    /** Sets a condition; its lastTransitionTime changes only when its status does. */
    static void condition(EnvironmentStatus status, String type, boolean ok, String reason, String message,
            long generation, Instant now) {
        String value = ok ? "True" : "False";
        Condition existing = status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = existing != null && value.equals(existing.getStatus()) ? existing.getLastTransitionTime()
                : now.toString();
        status.conditions.removeIf(c -> type.equals(c.getType()));
        status.conditions.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build());
    }

    private EnvironmentStatus copy(EnvironmentStatus status) {
        if (status == null) {
            return new EnvironmentStatus();
        }
        EnvironmentStatus out = client.getKubernetesSerialization().clone(status);
        out.conditions = out.conditions == null ? new ArrayList<>() : new ArrayList<>(out.conditions);
        out.endpoints = out.endpoints == null ? new ArrayList<>() : out.endpoints;
        out.sdks = out.sdks == null ? new ArrayList<>() : out.sdks;
        return out;
    }

    private static String label(HasMetadata o, String key) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
    }

    /** A failure worth retrying with backoff. */
    public static class RetryableException extends RuntimeException {
        public RetryableException(String message) {
            super(message, null, false, false);
        }
    }
}
