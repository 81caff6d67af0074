package io.defensebuilders.environments.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Two replicas of the operator on one API server (fabric8's mock, CRUD mode), electing a leader through the Lease
 * {@link OperatorLifecycle#LEASE} as the production profile does: only the holder reconciles Environments; when it
 * stops, the other takes the Lease and reconciles. Lease times are short here (2 s) so that the take-over is quick.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

    private static final String NAMESPACE = "dbp";

    KubernetesClient client;
    KubernetesMockServer server;
    private final List<Operator> started = new CopyOnWriteArrayList<>();

    private record Replica(String identity, Operator operator, List<String> reconciled) {
    }

    @BeforeEach
    void theServiceAccountMayHoldLeases() {
        // the SDK asks the API server before it starts whether it may hold the Lease (the chart's Role grants it);
        // the mock server does not evaluate RBAC, so it answers what the Role would
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata().withNewSpec()
                        .withNamespace(NAMESPACE).endSpec().withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update").endResourceRule().endStatus().build())
                .always();
    }

    private Replica replica(String identity) {
        List<String> reconciled = new CopyOnWriteArrayList<>();
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(OperatorLifecycle.LEASE).withLeaseNamespace(NAMESPACE)
                        .withIdentity(identity).withLeaseDuration(Duration.ofSeconds(2))
                        .withRenewDeadline(Duration.ofMillis(1500)).withRetryPeriod(Duration.ofMillis(200))
                        // a replica that loses the Lease exits in production; here the JVM is shared
                        .buildForTest(false)));
        operator.register(new Recording(reconciled), c -> c.withName("environments-" + identity));
        operator.start();
        started.add(operator);
        return new Replica(identity, operator, reconciled);
    }

    /** Records what it is asked to reconcile. Not one of the application's: the operator extension leaves it alone. */
    @Ignore
    static final class Recording implements Reconciler<Environment> {
        private final List<String> reconciled;

        Recording(List<String> reconciled) {
            this.reconciled = reconciled;
        }

        @Override
        public UpdateControl<Environment> reconcile(Environment env, Context<Environment> context) {
            reconciled.add(env.getMetadata().getName());
            return UpdateControl.noUpdate();
        }
    }

    @AfterEach
    void stop() {
        started.forEach(Operator::stop);
    }

    @Test
    void oneReplicaReconcilesAndAnotherTakesOverWhenItStops() {
        Replica a = replica("replica-a");
        await("replica-a holds the Lease").atMost(Duration.ofSeconds(10)).until(() -> holder().equals("replica-a"));
        Replica b = replica("replica-b");
        create("first");
        await("the leader reconciles").atMost(Duration.ofSeconds(10)).until(() -> a.reconciled().contains("first"));
        // b watched the same event as long as a did: it must not have acted on it
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> b.reconciled().isEmpty());
        assertEquals("replica-a", holder());

        a.operator().stop();
        started.remove(a.operator());
        await("replica-b takes the Lease").atMost(Duration.ofSeconds(15)).until(() -> holder().equals("replica-b"));
        create("second");
        await("the new leader reconciles").atMost(Duration.ofSeconds(10))
                .until(() -> b.reconciled().contains("second"));
        assertTrue(b.reconciled().contains("first"), "on taking over it reconciles what exists: " + b.reconciled());
        assertTrue(!a.reconciled().contains("second"), "the stopped replica reconciles nothing more");
    }

    private String holder() {
        Lease lease = client.leases().inNamespace(NAMESPACE).withName(OperatorLifecycle.LEASE).get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    private void create(String name) {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName(name).build());
        env.setSpec(new EnvironmentSpec());
        client.resource(env).create();
    }
}
