package io.defensebuilders.environments;

import static io.defensebuilders.environments.Cluster.await;
import static io.defensebuilders.environments.Cluster.awaitPhase;
import static io.defensebuilders.environments.Cluster.environment;
import static io.defensebuilders.environments.Cluster.sdk;
import static io.defensebuilders.testing.quarkus.TestClient.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.environments.operator.DesiredState;
import io.defensebuilders.environments.operator.EnvironmentReconciler;
import io.defensebuilders.environments.operator.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The operator against the mock API server: what an Environment becomes, drift repair, spec changes, deletion, failures. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = ClusterSetup.class)
class ReconcileTest {

    @Inject
    KubernetesClient client;

    @Inject
    EnvironmentReconciler reconciler;

    @Test
    void provisionsNamespaceQuotaPoliciesRbacStorageAndWorkloads() {
        String name = unique("prov");
        Environment env = environment(name, "acme", sdk("tak-server", "^5.2"), sdk("foundry-cli", null));
        env.getSpec().resources = new EnvironmentSpec.Resources("2", "4Gi", "10Gi");
        client.resource(env).create();
        String ns = Environment.namespaceOf(name);

        Environment provisioning = awaitPhase(client, name, Phase.Provisioning);
        assertEquals(ns, provisioning.getStatus().namespace);
        assertTrue(provisioning.getFinalizers().contains(Environment.FINALIZER));

        Namespace namespace = client.namespaces().withName(ns).get();
        assertEquals("acme", namespace.getMetadata().getLabels().get(Labels.TENANT));
        assertEquals(name, namespace.getMetadata().getLabels().get(Labels.ENVIRONMENT));

        ResourceQuota quota = client.resourceQuotas().inNamespace(ns).withName(DesiredState.QUOTA).get();
        assertEquals(new Quantity("2"), quota.getSpec().getHard().get("limits.cpu"));
        assertEquals(new Quantity("4Gi"), quota.getSpec().getHard().get("requests.memory"));
        assertEquals(new Quantity("10Gi"), quota.getSpec().getHard().get("requests.storage"));
        assertNotNull(client.limitRanges().inNamespace(ns).withName(DesiredState.LIMITS).get());

        List<String> policies = client.network().v1().networkPolicies().inNamespace(ns).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        assertEquals(List.of(DesiredState.ALLOW_DNS, DesiredState.ALLOW_SAME_NAMESPACE, DesiredState.DENY_ALL),
                policies, "isolated: default-deny plus DNS, no egress");
        NetworkPolicy deny = client.network().v1().networkPolicies().inNamespace(ns).withName(DesiredState.DENY_ALL).get();
        assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());

        assertNotNull(client.serviceAccounts().inNamespace(ns).withName(DesiredState.SERVICE_ACCOUNT).get());
        RoleBinding binding = client.rbac().roleBindings().inNamespace(ns).withName(DesiredState.ROLE_BINDING).get();
        assertEquals("edit", binding.getRoleRef().getName());
        assertTrue(binding.getSubjects().stream().anyMatch(s -> s.getKind().equals("User") && s.getName().equals("alice")));
        assertTrue(binding.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")));

        assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName(DesiredState.WORKSPACE).get());

        Deployment tak = client.apps().deployments().inNamespace(ns).withName("sdk-tak-server").get();
        assertEquals("ghcr.io/acme/tak-server@" + FakeRegistry.TAK_DIGEST,
                tak.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage(), "image by digest");
        assertEquals(1, tak.getSpec().getReplicas());
        Service takService = client.services().inNamespace(ns).withName("sdk-tak-server").get();
        assertEquals(2, takService.getSpec().getPorts().size());
        assertNotNull(client.apps().deployments().inNamespace(ns).withName("sdk-foundry-cli").get());
        assertNull(client.services().inNamespace(ns).withName("sdk-foundry-cli").get(), "no ports, no service");

        Cluster.markAvailable(client, name, "tak-server");
        Cluster.markAvailable(client, name, "foundry-cli");
        Environment ready = awaitPhase(client, name, Phase.Ready);
        assertEquals("True", condition(ready, "Ready").getStatus());
        assertEquals("True", condition(ready, "Valid").getStatus());
        assertEquals("True", condition(ready, "SdksResolved").getStatus());
        assertEquals("True", condition(ready, "Provisioned").getStatus());
        assertEquals(ready.getMetadata().getGeneration(), ready.getStatus().observedGeneration);
        assertNotNull(ready.getStatus().readySince);
        assertTrue(ready.getStatus().endpoints.stream()
                .anyMatch(e -> e.url.equals("tcp://sdk-tak-server." + ns + ".svc:8443")), "endpoints listed");
    }

    /** A resync of an environment nobody changed writes nothing to its namespace (the fingerprints match). */
    @Test
    void aResyncOfAnUnchangedEnvironmentWritesNothing() {
        String name = unique("steady");
        client.resource(environment(name, "acme", sdk("tak-server", "^5.2"))).create();
        String ns = Environment.namespaceOf(name);
        awaitPhase(client, name, Phase.Provisioning);
        Cluster.markAvailable(client, name, "tak-server");
        awaitPhase(client, name, Phase.Ready);
        Map<String, String> before = versions(ns);
        assertTrue(before.size() >= 10, before.toString());

        for (int i = 0; i < 3; i++) {
            reconciler.reconcile(Cluster.get(client, name));
        }

        assertEquals(before, versions(ns));
    }

    /** Kind/name to resource version of everything the operator applies for the environment in {@code ns}. */
    private Map<String, String> versions(String ns) {
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new java.util.ArrayList<>();
        objects.add(client.namespaces().withName(ns).get());
        objects.addAll(client.resourceQuotas().inNamespace(ns).list().getItems());
        objects.addAll(client.limitRanges().inNamespace(ns).list().getItems());
        objects.addAll(client.network().v1().networkPolicies().inNamespace(ns).list().getItems());
        objects.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
        objects.addAll(client.rbac().roleBindings().inNamespace(ns).list().getItems());
        objects.addAll(client.persistentVolumeClaims().inNamespace(ns).list().getItems());
        objects.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
        objects.addAll(client.services().inNamespace(ns).list().getItems());
        Map<String, String> out = new java.util.TreeMap<>();
        objects.forEach(o -> out.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        return out;
    }

    @Test
    void repairsDeletedQuotaPolicyAndDeployment() {
        String name = unique("drift");
        client.resource(environment(name, "acme", sdk("foundry-cli", "1.0.0"))).create();
        String ns = Environment.namespaceOf(name);
        awaitPhase(client, name, Phase.Provisioning);
        await("quota", () -> client.resourceQuotas().inNamespace(ns).withName(DesiredState.QUOTA).get());

        client.resourceQuotas().inNamespace(ns).withName(DesiredState.QUOTA).delete();
        client.network().v1().networkPolicies().inNamespace(ns).withName(DesiredState.DENY_ALL).delete();
        client.apps().deployments().inNamespace(ns).withName("sdk-foundry-cli").delete();

        await("quota restored", () -> client.resourceQuotas().inNamespace(ns).withName(DesiredState.QUOTA).get());
        await("deny-all policy restored", () -> client.network().v1().networkPolicies().inNamespace(ns)
                .withName(DesiredState.DENY_ALL).get());
        await("deployment restored", () -> client.apps().deployments().inNamespace(ns).withName("sdk-foundry-cli")
                .get());
    }

    @Test
    void revertsAnEditedQuota() {
        String name = unique("edit");
        client.resource(environment(name, "acme")).create();
        String ns = Environment.namespaceOf(name);
        awaitPhase(client, name, Phase.Ready);
        client.resourceQuotas().inNamespace(ns).withName(DesiredState.QUOTA).edit(q -> {
            q.getSpec().getHard().put("limits.cpu", new Quantity("64"));
            return q;
        });
        await("quota back to the template's 1 CPU", () -> new Quantity("1").equals(client.resourceQuotas().inNamespace(ns)
                .withName(DesiredState.QUOTA).get().getSpec().getHard().get("limits.cpu")));
    }

    @Test
    void rollsSpecChangesThrough() {
        String name = unique("change");
        client.resource(environment(name, "acme", sdk("tak-server", "^5.2"))).create();
        String ns = Environment.namespaceOf(name);
        awaitPhase(client, name, Phase.Provisioning);
        await("deployment", () -> client.apps().deployments().inNamespace(ns).withName("sdk-tak-server").get());

        Cluster.edit(client, name, e -> {
            e.getSpec().resources = new EnvironmentSpec.Resources("3", null, null);
            e.getSpec().network = "egress";
            e.getSpec().sdks = new java.util.ArrayList<>(List.of(sdk("tak-server", "^5.3")));
        });
        await("quota raised to 3 CPUs", () -> new Quantity("3").equals(client.resourceQuotas().inNamespace(ns)
                .withName(DesiredState.QUOTA).get().getSpec().getHard().get("limits.cpu")));
        await("egress policy", () -> client.network().v1().networkPolicies().inNamespace(ns)
                .withName(DesiredState.ALLOW_EGRESS).get());
        await("tak-server 5.3.0 rolled out", () -> client.apps().deployments().inNamespace(ns).withName("sdk-tak-server")
                .get().getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()
                .endsWith(FakeRegistry.TAK_53_DIGEST));

        Cluster.edit(client, name, e -> {
            e.getSpec().network = "isolated";
            e.getSpec().sdks = new java.util.ArrayList<>();
        });
        await("egress policy gone", () -> client.network().v1().networkPolicies().inNamespace(ns)
                .withName(DesiredState.ALLOW_EGRESS).get() == null);
        await("workload of a removed SDK pruned", () -> client.apps().deployments().inNamespace(ns)
                .withName("sdk-tak-server").get() == null);
    }

    @Test
    void deletionRemovesEverythingThenTheResource() {
        String name = unique("del");
        Environment env = environment(name, "acme", sdk("tak-server", "^5.2"));
        env.getSpec().resources = new EnvironmentSpec.Resources(null, null, "1Gi");
        client.resource(env).create();
        String ns = Environment.namespaceOf(name);
        awaitPhase(client, name, Phase.Provisioning);
        await("pvc", () -> client.persistentVolumeClaims().inNamespace(ns).withName(DesiredState.WORKSPACE).get());

        client.resources(Environment.class).withName(name).delete();

        await("environment gone (finalizer released)", () -> Cluster.get(client, name) == null);
        assertNull(client.namespaces().withName(ns).get());
        Map<String, String> selector = Map.of(Labels.ENVIRONMENT, name);
        assertTrue(client.apps().deployments().inNamespace(ns).withLabels(selector).list().getItems().isEmpty());
        assertTrue(client.services().inNamespace(ns).withLabels(selector).list().getItems().isEmpty());
        assertTrue(client.persistentVolumeClaims().inNamespace(ns).withLabels(selector).list().getItems().isEmpty());
        assertTrue(client.resourceQuotas().inNamespace(ns).withLabels(selector).list().getItems().isEmpty());
        assertTrue(client.network().v1().networkPolicies().inNamespace(ns).withLabels(selector).list().getItems()
                .isEmpty());
    }

    @Test
    void invalidSpecFailsWithAReadableCondition() {
        String name = unique("bad");
        Environment env = environment(name, "acme");
        env.getSpec().ttl = "5 minutes";
        env.getSpec().resources = new EnvironmentSpec.Resources("500", null, null);
        client.resource(env).create();
        Environment failed = awaitPhase(client, name, Phase.Failed);
        Condition valid = condition(failed, "Valid");
        assertEquals("False", valid.getStatus());
        assertEquals("InvalidSpec", valid.getReason());
        assertTrue(valid.getMessage().contains("ttl"), valid.getMessage());
        assertTrue(failed.getStatus().message.contains("resources.cpu: 500 is beyond this platform's limit of 8"),
                failed.getStatus().message);
        assertNull(client.namespaces().withName(Environment.namespaceOf(name)).get(), "nothing provisioned");

        Cluster.edit(client, name, e -> {
            e.getSpec().ttl = "5m";
            e.getSpec().resources = null;
        });
        awaitPhase(client, name, Phase.Ready);
    }

    @Test
    void unknownSdkAndImpossibleRangeFail() {
        String unknown = unique("nosdk");
        client.resource(environment(unknown, "acme", sdk("does-not-exist", null))).create();
        Environment failed = awaitPhase(client, unknown, Phase.Failed);
        assertEquals("UnresolvableSdk", condition(failed, "SdksResolved").getReason());
        assertTrue(failed.getStatus().message.contains("does-not-exist"), failed.getStatus().message);

        String impossible = unique("norange");
        client.resource(environment(impossible, "acme", sdk("tak-server", "^9"))).create();
        Environment noRange = awaitPhase(client, impossible, Phase.Failed);
        assertTrue(noRange.getStatus().message.contains("no version satisfies"), noRange.getStatus().message);

        String noImage = unique("noimg");
        client.resource(environment(noImage, "acme", sdk("no-image", null))).create();
        assertTrue(awaitPhase(client, noImage, Phase.Failed).getStatus().message.contains("ships no container image"));
    }

    @Test
    void registryOutageFailsThenRecoversWithBackoff() {
        String name = unique("flaky");
        client.resource(environment(name, "acme", sdk("flaky", null))).create();
        Environment failed = awaitPhase(client, name, Phase.Failed);
        assertEquals("RegistryUnavailable", condition(failed, "SdksResolved").getReason());
        assertTrue(failed.getStatus().message.contains("unavailable"), failed.getStatus().message);
        // retried without any change to the resource
        awaitPhase(client, name, Phase.Provisioning);
        assertTrue(FakeRegistry.FLAKY_CALLS.get() > FakeRegistry.FLAKY_FAILURES);
    }

    @Test
    void refusesANamespaceItDoesNotOwn() {
        String name = unique("taken");
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(Environment.namespaceOf(name)).endMetadata().build()).create();
        client.resource(environment(name, "acme")).create();
        Environment failed = awaitPhase(client, name, Phase.Failed);
        assertTrue(failed.getStatus().message.contains("does not belong"), failed.getStatus().message);
    }

    static Condition condition(Environment env, String type) {
        return env.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type));
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
