package io.defensebuilders.environments.operator;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.defensebuilders.environments.Environment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the operator ({@link EnvironmentOperator} on the Java Operator SDK) when a cluster is configured, and never
 * otherwise (the REST API then answers 503). It starts in the background: an API server that is slow or unreachable
 * delays the operator, never the service's start. Several replicas elect a leader through the Lease
 * {@code environment-manager} in their own namespace (the production profile; tests run one operator): only the
 * leader reconciles, another takes over within the lease's 15 s when it goes away.
 */
@ApplicationScoped
public class OperatorLifecycle {

    /** The Lease the replicas compete for. */
    public static final String LEASE = "environment-manager";
    private static final Logger LOG = Logger.getLogger(OperatorLifecycle.class);

    private final Operator operator;
    private final KubernetesClient client;
    private final ClusterAccess cluster;
    private final Triggers triggers;
    private volatile boolean starting;

    public OperatorLifecycle(Operator operator, KubernetesClient client, ClusterAccess cluster, Triggers triggers) {
        this.operator = operator;
        this.client = client;
        this.cluster = cluster;
        this.triggers = triggers;
    }

    private static volatile boolean leading;

    /**
     * The Lease, in the namespace the client works in (the pod's own in a cluster; a kubeconfig's context namespace
     * outside one, else {@code default}), held by the pod's name. A replica that loses it exits, and Kubernetes
     * starts it again as a candidate.
     */
    @Produces
    @Singleton
    static LeaderElectionConfiguration leaderElection(KubernetesClient client) {
        String namespace = client.getNamespace() == null ? "default" : client.getNamespace();
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE).withLeaseNamespace(namespace)
                .withLeaderCallbacks(new LeaderCallbacks(() -> leading = true, () -> leading = false, leader -> LOG
                        .infof("operator leader: %s", leader)))
                .build();
    }

    void start(@Observes StartupEvent event) {
        if (!cluster.configured()) {
            LOG.infof("no Kubernetes cluster configured (%s): the operator stays idle, the REST API answers 503",
                    cluster.reason());
            return;
        }
        LOG.infof("operator starting against %s (%s)", client.getMasterUrl(), cluster.reason());
        starting = true;
        Thread.ofPlatform().name("operator-start").daemon().start(() -> {
            try {
                operator.start();
            } catch (RuntimeException e) {
                LOG.errorf("the operator did not start: %s", e.toString());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (starting) {
            operator.stop();
        }
    }

    /** Whether the operator runs and every informer has listed what it watches. */
    public boolean synced() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** Whether this replica reconciles: it holds the Lease, or there is no election (one operator). */
    public boolean leading() {
        return leading || operator.getConfigurationService().getLeaderElectionConfiguration().isEmpty();
    }

    /** Reconciles {@code name} now (a test moved the clock; nothing in the cluster changed). */
    public void reconcileNow(String name) {
        triggers.reconcile(name);
    }

    /** Every Environment in the cluster, as the API server has them now. */
    public List<Environment> environments() {
        return starting ? client.resources(Environment.class).list().getItems() : List.of();
    }
}
