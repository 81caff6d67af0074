package io.defensebuilders.environments.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.defensebuilders.environments.Environment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;

/**
 * The Environment controller on the Java Operator SDK: its informers (Environments, and everything they own, found
 * by the {@code managed-by} label and mapped back by the {@code environment} label) feed one work queue that never
 * runs two reconciles of one environment at once; a failure is retried with exponential backoff (2 s doubling to
 * 5 min, without end; {@code quarkus.operator-sdk.controllers.environments.retry.*}); each environment is reconciled
 * at most 10 times a second whatever its events; leader election lets one of several replicas reconcile
 * (see {@link OperatorLifecycle}). What a reconcile does is {@link EnvironmentReconciler}'s.
 */
@ControllerConfiguration(name = EnvironmentOperator.NAME, finalizerName = Environment.FINALIZER,
        // spec changes bump the generation; activity annotations and what the operator owns do not, and count too
        generationAwareEventProcessing = false, maxReconciliationInterval = @MaxReconciliationInterval(interval = 60, timeUnit = TimeUnit.SECONDS))
@GradualRetry(maxAttempts = -1, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
@RateLimited(maxReconciliations = 10, within = 1, unit = TimeUnit.SECONDS)
public class EnvironmentOperator implements Reconciler<Environment>, Cleaner<Environment> {

    public static final String NAME = "environments";
    private static final Logger LOG = Logger.getLogger(EnvironmentOperator.class);
    /** What an Environment owns: every kind is watched, so a change or deletion of one repairs it. */
    private static final List<Class<? extends HasMetadata>> OWNED = List.of(Namespace.class, ResourceQuota.class,
            LimitRange.class, NetworkPolicy.class, ServiceAccount.class, RoleBinding.class, Deployment.class,
            Service.class, PersistentVolumeClaim.class);

    private final KubernetesClient client;
    private final EnvironmentReconciler reconciler;
    private final Triggers triggers;

    public EnvironmentOperator(KubernetesClient client, EnvironmentReconciler reconciler, Triggers triggers) {
        this.client = client;
        this.reconciler = reconciler;
        this.triggers = triggers;
    }

    @Override
    public List<EventSource<?, Environment>> prepareEventSources(EventSourceContext<Environment> context) {
        List<EventSource<?, Environment>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : OWNED) {
            sources.add(owned(kind, context));
        }
        sources.add(triggers);
        return sources;
    }

    private static <R extends HasMetadata> InformerEventSource<R, Environment> owned(Class<R> kind,
            EventSourceContext<Environment> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, Environment.class)
                .withName(kind.getSimpleName()).withWatchAllNamespaces()
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGER)
                // created by the reconcile that knows of it already: changes and deletions are what call for repair
                .withOnAddFilter(added -> false)
                .withSecondaryToPrimaryMapper(EnvironmentOperator::owner).build(), context);
    }

    private static Set<ResourceID> owner(HasMetadata owned) {
        String environment = Labels.get(owned, Labels.ENVIRONMENT);
        return environment == null ? Set.of() : Set.of(new ResourceID(environment));
    }

    @Override
    public UpdateControl<Environment> reconcile(Environment cached, Context<Environment> context) {
        // the cache may lag a write this operator just made; the API server has the truth
        Environment env = client.resources(Environment.class).withName(cached.getMetadata().getName()).get();
        if (env == null) {
            return UpdateControl.noUpdate();
        }
        try {
            Optional<Duration> next = reconciler.reconcile(env);
            return next.map(d -> UpdateControl.<Environment> noUpdate().rescheduleAfter(d))
                    .orElseGet(UpdateControl::noUpdate);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // another write got there first: read again at once, not after the failure backoff
                LOG.debugf("conflict reconciling %s, again", env.getMetadata().getName());
                return UpdateControl.<Environment> noUpdate().rescheduleAfter(Duration.ofMillis(50));
            }
            throw e;
        }
    }

    @Override
    public DeleteControl cleanup(Environment cached, Context<Environment> context) {
        Environment env = client.resources(Environment.class).withName(cached.getMetadata().getName()).get();
        if (env != null) {
            reconciler.cleanUp(env);
        }
        return DeleteControl.defaultDelete();
    }

    @Override
    public ErrorStatusUpdateControl<Environment> updateErrorStatus(Environment env, Context<Environment> context,
            Exception e) {
        // the status already says what failed (Failed phase, conditions); the retry comes with backoff
        LOG.warnf("reconciling %s failed (attempt %d, retried with backoff): %s", env.getMetadata().getName(),
                context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1), e.toString());
        return ErrorStatusUpdateControl.noStatusUpdate();
    }
}
