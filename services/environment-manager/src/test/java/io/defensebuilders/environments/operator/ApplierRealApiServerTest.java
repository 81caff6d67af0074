package io.defensebuilders.environments.operator;

import static io.defensebuilders.environments.operator.ApplierTest.deployment;
import static io.defensebuilders.environments.operator.ApplierTest.quota;
import static io.defensebuilders.environments.operator.ApplierTest.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * {@link ApplierTest}'s scenarios against a real API server, which respells quantities itself (the mock server keeps
 * them as written): the kind job of .github/workflows/kind.yml runs it with {@code DBP_TEST_KUBE_API=true} and the
 * cluster of the current kubeconfig. Skipped everywhere else.
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

    @Test
    void anUnchangedEnvironmentIsNotRewrittenAfterTheServerRespellsItsQuantities() {
        Applier applier = new Applier(client);
        assertEquals(Applier.Change.CREATED, applier.apply(deployment(namespace, "sdk", "1000m", "1024Mi")));
        assertEquals(Applier.Change.CREATED, applier.apply(quota(namespace, "8000m", "32768Mi")));
        Deployment stored = client.apps().deployments().inNamespace(namespace).withName("sdk").get();
        ResourceQuota storedQuota = client.resources(ResourceQuota.class).inNamespace(namespace)
                .withName(DesiredState.QUOTA).get();

        assertEquals("1", requests(stored).get("cpu").toString(), "the server stores 1000m as 1");
        assertEquals("1Gi", requests(stored).get("memory").toString(), "the server stores 1024Mi as 1Gi");

        assertEquals(Applier.Change.NONE, applier.apply(deployment(namespace, "sdk", "1000m", "1024Mi")),
                "a resync of the same environment writes nothing");
        assertEquals(Applier.Change.NONE, applier.apply(quota(namespace, "8000m", "32768Mi")));
        assertEquals(stored.getMetadata().getResourceVersion(),
                client.apps().deployments().inNamespace(namespace).withName("sdk").get().getMetadata()
                        .getResourceVersion());
        assertEquals(storedQuota.getMetadata().getResourceVersion(), client.resources(ResourceQuota.class)
                .inNamespace(namespace).withName(DesiredState.QUOTA).get().getMetadata().getResourceVersion());
    }

    @Test
    void aRealChangeOfQuantityIsStillApplied() {
        Applier applier = new Applier(client);
        applier.apply(deployment(namespace, "sdk-changed", "1000m", "1024Mi"));
        String version = client.apps().deployments().inNamespace(namespace).withName("sdk-changed").get().getMetadata()
                .getResourceVersion();

        assertEquals(Applier.Change.UPDATED, applier.apply(deployment(namespace, "sdk-changed", "2", "1024Mi")));

        Deployment after = client.apps().deployments().inNamespace(namespace).withName("sdk-changed").get();
        assertNotEquals(version, after.getMetadata().getResourceVersion());
        assertEquals("2", requests(after).get("cpu").toString());
    }
}
