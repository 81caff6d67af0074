package io.defensebuilders.environments.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The Applier against fabric8's mock API server (CRUD mode, no Quarkus). A real API server stores quantities in its
 * own spelling (a cpu request of 1000m reads back as 1, 1024Mi as 1Gi); such an object is as desired and is left
 * alone, while a real change is still written.
 */
@EnableKubernetesMockClient(crud = true)
class ApplierTest {

    private static final String NS = "env-applier";

    KubernetesClient client;

    /** The mock server answers apply patches with 415: objects are created and replaced whole here. */
    private Applier applier() {
        return new Applier(client, false);
    }

    @Test
    void quantitiesTheApiServerRespeltAreNotRewritten() {
        // what the API server holds after normalising the operator's 1000m / 1024Mi
        assertEquals(Applier.Change.CREATED, applier().apply(deployment("sdk-normalised", "1", "1Gi")));
        String version = stored("sdk-normalised").getMetadata().getResourceVersion();

        Applier.Change change = applier().apply(deployment("sdk-normalised", "1000m", "1024Mi"));

        assertEquals(Applier.Change.NONE, change, "1000m is 1 and 1024Mi is 1Gi: nothing to repair");
        assertEquals(version, stored("sdk-normalised").getMetadata().getResourceVersion(), "no update was sent");
    }

    @Test
    void aFieldTheOperatorStopsSettingIsWrittenAgain() {
        Deployment labelled = deployment("sdk-relabelled", "1", "1Gi");
        labelled.getMetadata().getLabels().put("example.com/team", "blue");
        applier().apply(labelled);

        // everything still wanted is in place; only the fingerprint says the label went
        Applier.Change change = applier().apply(deployment("sdk-relabelled", "1", "1Gi"));

        assertEquals(Applier.Change.UPDATED, change);
        assertFalse(stored("sdk-relabelled").getMetadata().getLabels().containsKey("example.com/team"));
        assertEquals(Applier.Change.NONE, applier().apply(deployment("sdk-relabelled", "1", "1Gi")));
    }

    @Test
    void anObjectFoundWithoutTheFingerprintIsAppliedOnce() {
        // made by an older operator, or by hand
        client.resource(deployment("sdk-older", "1", "1Gi")).create();

        assertEquals(Applier.Change.UPDATED, applier().apply(deployment("sdk-older", "1", "1Gi")));
        assertEquals(Applier.Change.NONE, applier().apply(deployment("sdk-older", "1", "1Gi")));
    }

    @Test
    void theFingerprintIsTheSameForTheSameObjectWhateverItsMapsOrder() {
        Deployment a = deployment("f", "1000m", "1Gi");
        Deployment b = deployment("f", "1", "1024Mi");
        Map<String, String> forward = new java.util.LinkedHashMap<>();
        Map<String, String> backward = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            forward.put("k" + i, "v" + i);
            backward.put("k" + (19 - i), "v" + (19 - i));
        }
        a.getMetadata().setLabels(forward);
        b.getMetadata().setLabels(backward);
        assertEquals(Applier.fingerprint(a), Applier.fingerprint(b));

        b.getMetadata().getLabels().put("k0", "changed");
        assertNotEquals(Applier.fingerprint(a), Applier.fingerprint(b));
        assertNotEquals(Applier.fingerprint(a), Applier.fingerprint(deployment("f", "2", "1Gi")));
    }

    @Test
    void aRealChangeOfQuantityIsStillApplied() {
        applier().apply(deployment("sdk-changed", "1", "1Gi"));
        String version = stored("sdk-changed").getMetadata().getResourceVersion();

        Applier.Change change = applier().apply(deployment("sdk-changed", "2", "1024Mi"));

        assertEquals(Applier.Change.UPDATED, change, "2 CPUs is not 1");
        Deployment after = stored("sdk-changed");
        assertNotEquals(version, after.getMetadata().getResourceVersion());
        assertEquals(new Quantity("2"), requests(after).get("cpu"));
    }

    @Test
    void quantitiesCompareByValueInEveryKindTheOperatorApplies() {
        assertTrue(Applier.matches(deployment("a", "1000m", "1024Mi"), deployment("a", "1", "1Gi")));
        assertTrue(Applier.matches(deployment("a", "0.5", "1Gi"), deployment("a", "500m", "1073741824")));
        assertFalse(Applier.matches(deployment("a", "1000m", "1024Mi"), deployment("a", "2", "1Gi")));
        assertFalse(Applier.matches(deployment("a", "1", "1024Mi"), deployment("a", "1", "1G")), "1Gi is not 1G");

        assertTrue(Applier.matches(quota("8000m", "32768Mi"), quota("8", "32Gi")));
        assertFalse(Applier.matches(quota("8000m", "32768Mi"), quota("4", "32Gi")));
    }

    @Test
    void otherFieldsStillCompareAsWritten() {
        Deployment want = deployment("a", "1", "1Gi");
        Deployment have = deployment("a", "1", "1Gi");
        have.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/sdk@sha256:other");
        assertFalse(Applier.matches(want, have));
    }

    private Deployment stored(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    static Map<String, Quantity> requests(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests();
    }

    private static Deployment deployment(String name, String cpu, String memory) {
        return deployment(NS, name, cpu, memory);
    }

    /** A Deployment as the operator would want it, with the given requests. */
    static Deployment deployment(String namespace, String name, String cpu, String memory) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(new java.util.HashMap<>(Map.of(Labels.MANAGED_BY, Labels.MANAGER))).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("sdk").withImage("registry.example/sdk@sha256:abc")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .endResources().endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static ResourceQuota quota(String cpu, String memory) {
        return quota(NS, cpu, memory);
    }

    /** The environment's ResourceQuota with the given hard requests. */
    static ResourceQuota quota(String namespace, String cpu, String memory) {
        return new ResourceQuotaBuilder().withNewMetadata().withName(DesiredState.QUOTA).withNamespace(namespace)
                .endMetadata()
                .withNewSpec().withHard(Map.of("requests.cpu", new Quantity(cpu), "requests.memory",
                        new Quantity(memory)))
                .endSpec().build();
    }
}
