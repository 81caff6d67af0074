package io.defensebuilders.environments.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The operator's loop: informers on Environments and on everything they own feed a work queue keyed by environment
 * name; worker threads reconcile one environment at a time each (never the same one twice at once), retry failures
 * with exponential backoff, and come back after each reconcile's requested delay (timers, resync). Without a
 * cluster it never starts.
 */
@ApplicationScoped
public class EnvironmentController {

    private static final Logger LOG = Logger.getLogger(EnvironmentController.class);

    private final KubernetesClient client;
    private final EnvironmentReconciler reconciler;
    private final ClusterAccess cluster;
    private final EnvironmentsConfig.Operator config;
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();
    private final Map<String, Long> scheduledAt = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile SharedIndexInformer<Environment> environments;
    private ScheduledExecutorService workers;

    public EnvironmentController(KubernetesClient client, EnvironmentReconciler reconciler, ClusterAccess cluster,
            EnvironmentsConfig config) {
        this.client = client;
        this.reconciler = reconciler;
        this.cluster = cluster;
        this.config = config.operator();
    }

    void start(@Observes StartupEvent event) {
        if (!cluster.configured()) {
            LOG.infof("no Kubernetes cluster configured (%s): the operator stays idle, the REST API answers 503",
                    cluster.reason());
            return;
        }
        LOG.infof("operator starting against %s (%s)", client.getMasterUrl(), cluster.reason());
        workers = Executors.newScheduledThreadPool(config.workers(), Thread.ofPlatform().name("reconcile-", 0)
                .daemon().factory());
        environments = client.resources(Environment.class).runnableInformer(config.resync().toMillis());
        environments.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Environment env) {
                enqueue(env.getMetadata().getName(), Duration.ZERO);
            }

            @Override
            public void onUpdate(Environment oldEnv, Environment env) {
                enqueue(env.getMetadata().getName(), Duration.ZERO);
            }

            @Override
            public void onDelete(Environment env, boolean unknownFinalState) {
                // the finalizer already cleaned up; nothing is left to do
            }
        });
        informers.add(environments);
        for (Class<? extends HasMetadata> owned : List.of(ResourceQuota.class, LimitRange.class, NetworkPolicy.class,
                ServiceAccount.class, RoleBinding.class, Deployment.class, Service.class,
                PersistentVolumeClaim.class)) {
            informers.add(watchOwned(client.resources(owned).inAnyNamespace().withLabel(Labels.MANAGED_BY,
                    Labels.MANAGER).runnableInformer(0)));
        }
        informers.add(watchOwned(client.namespaces().withLabel(Labels.MANAGED_BY, Labels.MANAGER)
                .runnableInformer(0)));
        // start() returns at once: an unreachable API server delays the operator, never the service's startup
        informers.forEach(i -> i.start().whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warnf("informer failed to start: %s", e.toString());
            }
        }));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watchOwned(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                // created by the operator itself; the reconcile that created it already knows
            }

            @Override
            public void onUpdate(T oldObj, T obj) {
                owner(obj).ifPresent(name -> enqueue(name, Duration.ZERO));
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
                owner(obj).ifPresent(name -> enqueue(name, Duration.ZERO));
            }
        });
        return informer;
    }

    private static Optional<String> owner(HasMetadata obj) {
        return Optional.ofNullable(obj.getMetadata().getLabels()).map(l -> l.get(Labels.ENVIRONMENT));
    }

    void stop(@Observes ShutdownEvent event) {
        informers.forEach(SharedIndexInformer::stop);
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    /** Whether the Environment informer has listed everything once. */
    public boolean synced() {
        return environments != null && environments.hasSynced();
    }

    public boolean running() {
        return workers != null;
    }

    /** Every Environment the informer knows. */
    public List<Environment> cached() {
        return environments == null ? List.of() : environments.getStore().list();
    }

    /** Reconciles {@code name} after {@code delay}, unless it is already due sooner. */
    public void enqueue(String name, Duration delay) {
        if (workers == null) {
            return;
        }
        long due = System.nanoTime() + delay.toNanos();
        scheduledAt.compute(name, (key, current) -> {
            if (current != null && current <= due && scheduled.containsKey(key)) {
                return current;
            }
            ScheduledFuture<?> previous = scheduled.put(key, workers.schedule(() -> run(key), delay.toMillis(),
                    TimeUnit.MILLISECONDS));
            if (previous != null) {
                previous.cancel(false);
            }
            return due;
        });
    }

    private void run(String name) {
        scheduledAt.remove(name);
        scheduled.remove(name);
        if (!running.add(name)) {
            dirty.add(name);
            return;
        }
        Duration next = null;
        try {
            Environment env = environments.getStore().getByKey(name);
            if (env != null) {
                // the cache may lag a write this operator just made; the API server has the truth
                Environment fresh = client.resources(Environment.class).withName(name).get();
                if (fresh != null) {
                    next = reconciler.reconcile(fresh).orElse(null);
                }
            }
            failures.remove(name);
        } catch (KubernetesClientException e) {
            next = backoff(name);
            if (e.getCode() == 409) {
                next = Duration.ofMillis(50);
                LOG.debugf("conflict reconciling %s, retrying", name);
            } else {
                LOG.warnf("reconciling %s failed (retry in %s): %s", name, next, e.getMessage());
            }
        } catch (RuntimeException e) {
            next = backoff(name);
            LOG.warnf("reconciling %s failed (retry in %s): %s", name, next, e.toString());
        } finally {
            running.remove(name);
        }
        if (dirty.remove(name)) {
            enqueue(name, Duration.ZERO);
        } else if (next != null) {
            enqueue(name, next);
        }
    }

    private Duration backoff(String name) {
        int n = failures.merge(name, 1, Integer::sum);
        Duration d = config.backoff().multipliedBy(1L << Math.min(n - 1, 20));
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }
}
