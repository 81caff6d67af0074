package io.defensebuilders.environments.operator;

import static io.defensebuilders.environments.operator.ApplierTest.deployment;
import static io.defensebuilders.environments.operator.ApplierTest.quota;
import static io.defensebuilders.environments.operator.ApplierTest.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * {@link ApplierTest}'s scenarios against a real API server, which respells quantities itself (the mock server keeps
 * them as written) and takes server-side applies (the mock answers them with 415): the kind job of
 * .github/workflows/kind.yml runs it with {@code DBP_TEST_KUBE_API=true} and the cluster of the current kubeconfig,
 * with server-side apply (as in production) and without (as on the mock). Skipped everywhere else.
 */
@EnabledIfEnvironmentVariable(named = "DBP_TEST_KUBE_API", matches = "true")
class ApplierRealApiServerTest {

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void connect() {
        client = new KubernetesClientBuilder().build();
        namespace = "applier-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.namespaces().withName(namespace).delete();
            client.close();
        }
    }

    private static Deployment stored(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    @ParameterizedTest(name = "server-side apply: {0}")
    @ValueSource(booleans = { true, false })
    void anUnchangedEnvironmentIsNotRewrittenAfterTheServerRespellsItsQuantities(boolean ssa) {
        Applier applier = new Applier(client, ssa);
        String name = "sdk-" + ssa;
        String ns = namespace;
        assertEquals(Applier.Change.CREATED, applier.apply(deployment(ns, name, "1000m", "1024Mi")));
        applier.apply(quota(ns, "8000m", "32768Mi")); // one per namespace: made by whichever mode runs first
        Deployment stored = stored(name);
        ResourceQuota storedQuota = client.resources(ResourceQuota.class).inNamespace(ns).withName(DesiredState.QUOTA)
                .get();

        assertEquals("1", requests(stored).get("cpu").toString(), "the server stores 1000m as 1");
        assertEquals("1Gi", requests(stored).get("memory").toString(), "the server stores 1024Mi as 1Gi");

        assertEquals(Applier.Change.NONE, applier.apply(deployment(ns, name, "1000m", "1024Mi")),
                "a resync of the same environment writes nothing");
        assertEquals(Applier.Change.NONE, applier.apply(quota(ns, "8000m", "32768Mi")));
        assertEquals(stored.getMetadata().getResourceVersion(), stored(name).getMetadata().getResourceVersion());
        assertEquals(storedQuota.getMetadata().getResourceVersion(), client.resources(ResourceQuota.class)
                .inNamespace(ns).withName(DesiredState.QUOTA).get().getMetadata().getResourceVersion());
    }

    @ParameterizedTest(name = "server-side apply: {0}")
    @ValueSource(booleans = { true, false })
    void aRealChangeOfQuantityIsStillApplied(boolean ssa) {
        Applier applier = new Applier(client, ssa);
        String name = "sdk-changed-" + ssa;
        applier.apply(deployment(namespace, name, "1000m", "1024Mi"));
        String version = stored(name).getMetadata().getResourceVersion();

        assertEquals(Applier.Change.UPDATED, applier.apply(deployment(namespace, name, "2", "1024Mi")));

        Deployment after = stored(name);
        assertNotEquals(version, after.getMetadata().getResourceVersion());
        assertEquals("2", requests(after).get("cpu").toString());
    }

    /**
     * What server-side apply is for: a change the operator applies keeps the fields others own (here the annotation
     * {@code kubectl rollout restart} puts on the pod template), removes what the operator no longer sets, and the
     * API server records the operator as the manager of its fields.
     */
    @Test
    void serverSideApplyKeepsOtherManagersFieldsAndRemovesWhatTheOperatorNoLongerSets() {
        Applier applier = new Applier(client, true);
        Deployment labelled = deployment(namespace, "sdk-shared", "1", "1Gi");
        labelled.getMetadata().getLabels().put("example.com/team", "blue");
        assertEquals(Applier.Change.CREATED, applier.apply(labelled));
        client.apps().deployments().inNamespace(namespace).withName("sdk-shared").edit(d -> {
            d.getSpec().getTemplate().getMetadata().setAnnotations(
                    Map.of("kubectl.kubernetes.io/restartedAt", "2026-12-06T07:00:00Z"));
            return d;
        });

        assertEquals(Applier.Change.UPDATED, applier.apply(deployment(namespace, "sdk-shared", "2", "1Gi")));

        Deployment after = stored("sdk-shared");
        assertEquals("2", requests(after).get("cpu").toString());
        assertEquals("2026-12-06T07:00:00Z",
                after.getSpec().getTemplate().getMetadata().getAnnotations().get("kubectl.kubernetes.io/restartedAt"),
                "the restart's annotation is another manager's field");
        assertFalse(after.getMetadata().getLabels().containsKey("example.com/team"), "the operator dropped it");
        assertTrue(after.getMetadata().getManagedFields().stream()
                .anyMatch(f -> Applier.FIELD_MANAGER.equals(f.getManager()) && "Apply".equals(f.getOperation())),
                after.getMetadata().getManagedFields().toString());
    }
}
