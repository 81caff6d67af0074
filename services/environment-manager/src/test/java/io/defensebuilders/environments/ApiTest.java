package io.defensebuilders.environments;

import static io.defensebuilders.environments.Cluster.await;
import static io.defensebuilders.environments.Cluster.awaitPhase;
import static io.defensebuilders.testing.quarkus.TestClient.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.environments.operator.DesiredState;
import io.defensebuilders.testing.quarkus.TestClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The REST API: tenant-scoped, problem+json for bad specs, and the same resources kubectl sees. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = ClusterSetup.class)
class ApiTest {

    private static final String BASE = "/api/v1/environments";

    @Inject
    KubernetesClient client;

    @Test
    void createsListsAndGetsWithinTheTenantOnly() {
        String tenant = TestClient.newTenant();
        Api alice = Api.builder(tenant);
        String name = unique("api");
        alice.req().body(Map.of("name", name, "displayName", "Demo", "sdks", List.of(Map.of("name", "tak-server",
                "version", "^5.2")), "template", "small", "ttl", "8h"))
                .post(BASE).then().statusCode(201)
                .header("Location", containsString(BASE + "/" + name))
                .body("name", equalTo(name)).body("tenant", equalTo(tenant)).body("owner", equalTo(alice.subject()))
                .body("namespace", equalTo("env-" + Environment.resourceName(tenant, name)));

        // the resource name carries a tag of the tenant: another tenant may use the same name without seeing this one
        String resource = Environment.resourceName(tenant, name);
        Environment created = Cluster.get(client, resource);
        assertEquals(tenant, created.getSpec().tenant, "the tenant comes from the token");
        assertEquals(name, created.tenantName());
        awaitPhase(client, resource, Phase.Provisioning);

        alice.req().get(BASE).then().statusCode(200).body("data.name", hasItem(name));
        Api.viewer(tenant).req().get(BASE + "/" + name).then().statusCode(200)
                .body("phase", equalTo("Provisioning"))
                .body("resolvedSdks[0].image", equalTo("ghcr.io/acme/tak-server@" + FakeRegistry.TAK_DIGEST))
                .body("expiresAt", startsWith("20"));

        Api other = Api.builder(TestClient.newTenant());
        other.req().get(BASE).then().statusCode(200).body("data.name", not(hasItem(name)));
        other.req().get(BASE + "/" + name).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://defensebuilders.io/problems/not-found"));
        other.req().delete(BASE + "/" + name).then().statusCode(404);
        other.req().post(BASE + "/" + name + "/sleep").then().statusCode(404);
        other.req().get(BASE + "/" + name + "/kubeconfig").then().statusCode(404);
        assertTrue(Cluster.get(client, resource) != null && Cluster.get(client, resource).getMetadata()
                .getDeletionTimestamp() == null, "another tenant changed nothing");
        // ... and the resource name is no name of the tenant's
        alice.req().get(BASE + "/" + resource).then().statusCode(404);
    }

    @Test
    void refusesBadSpecsWithProblemJson() {
        Api alice = Api.builder(TestClient.newTenant());
        alice.req().body(Map.of("name", "Bad_Name", "ttl", "forever", "idleTimeout", "0m", "template", "huge",
                "network", "open", "resources", Map.of("cpu", "64", "memory", "lots")))
                .post(BASE).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://defensebuilders.io/problems/validation"))
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("ttl"))
                .body("errors.field", hasItem("idleTimeout")).body("errors.field", hasItem("template"))
                .body("errors.field", hasItem("network")).body("errors.field", hasItem("resources.cpu"))
                .body("errors.field", hasItem("resources.memory"))
                .body("detail", containsString("beyond this platform's limit"));
        alice.req().body(Map.of("sdks", List.of(Map.of("name", "tak-server"), Map.of("name", "tak-server"))))
                .post(BASE).then().statusCode(400).body("detail", containsString("listed twice"));
        alice.req().body("{\"ttl\": ").post(BASE).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void refusesUnknownSdksAndImpossibleRangesWith422() {
        Api alice = Api.builder(TestClient.newTenant());
        String name = unique("nosdk");
        alice.req().body(Map.of("name", name, "sdks", List.of(Map.of("name", "not-in-registry"))))
                .post(BASE).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://defensebuilders.io/problems/unknown-sdk"))
                .body("detail", containsString("not-in-registry"));
        alice.req().body(Map.of("name", name, "sdks", List.of(Map.of("name", "tak-server", "version", "^9"))))
                .post(BASE).then().statusCode(422).body("detail", containsString("no version satisfies"));
        assertEquals(null, Cluster.get(client, Environment.resourceName(alice.tenant(), name)), "nothing created");
    }

    @Test
    void viewersCannotCreateAndNamesAreUnique() {
        String tenant = TestClient.newTenant();
        Api.viewer(tenant).req().body(Map.of("name", unique("v"))).post(BASE).then().statusCode(403);
        io.restassured.RestAssured.given().get(BASE).then().statusCode(401);
        String name = unique("dup");
        Api.builder(tenant).req().body(Map.of("name", name)).post(BASE).then().statusCode(201);
        Api.builder(tenant).req().body(Map.of("name", name)).post(BASE).then().statusCode(409);
        // another tenant's names are its own: the same name is free for it, and nothing says it is taken elsewhere
        Api.builder(TestClient.newTenant()).req().body(Map.of("name", name)).post(BASE).then().statusCode(201);
    }

    @Test
    void thePlanLimitsConcurrentEnvironments() {
        // the test billing puts "capped-" tenants on a plan of one environment at a time
        Api capped = Api.builder("capped-" + TestClient.newTenant());
        capped.req().body(Map.of("name", "first-" + capped.tenant())).post(BASE).then().statusCode(201);
        capped.req().body(Map.of("name", "second-" + capped.tenant())).post(BASE).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/plan-limit-reached"))
                .body("limit", org.hamcrest.Matchers.equalTo(1))
                .body("existing", org.hamcrest.Matchers.equalTo(1))
                .body("detail", org.hamcrest.Matchers.containsString("free plan allows 1"));
        capped.req().get(BASE + "/second-" + capped.tenant()).then().statusCode(404);
        // deleting the first makes room again
        capped.req().delete(BASE + "/first-" + capped.tenant()).then().statusCode(202);
        capped.req().body(Map.of("name", "third-" + capped.tenant())).post(BASE).then().statusCode(201);
        // billing not answering: the default fail-open creates anyway
        Api orphan = Api.builder("billingdown-" + TestClient.newTenant());
        orphan.req().body(Map.of("name", "open-" + orphan.tenant())).post(BASE).then().statusCode(201);
    }

    @Test
    void sleepsWakesAndDeletes() {
        Api alice = Api.builder(TestClient.newTenant());
        String name = unique("sw");
        alice.req().body(Map.of("name", name, "sdks", List.of(Map.of("name", "foundry-cli")))).post(BASE).then()
                .statusCode(201);
        String resource = Environment.resourceName(alice.tenant(), name);
        Cluster.markAvailable(client, resource, "foundry-cli");
        awaitPhase(client, resource, Phase.Ready);

        alice.req().post(BASE + "/" + name + "/sleep").then().statusCode(200).body("sleeping", equalTo(true));
        awaitPhase(client, resource, Phase.Sleeping);
        await("scaled to zero", () -> client.apps().deployments().inNamespace("env-" + resource)
                .withName(DesiredState.workloadName("foundry-cli")).get().getSpec().getReplicas() == 0);

        alice.req().post(BASE + "/" + name + "/wake").then().statusCode(200).body("sleeping", equalTo(false));
        await("scaled back up", () -> client.apps().deployments().inNamespace("env-" + resource)
                .withName(DesiredState.workloadName("foundry-cli")).get().getSpec().getReplicas() == 1);
        Cluster.markAvailable(client, resource, "foundry-cli"); // the pod comes back up
        awaitPhase(client, resource, Phase.Ready);

        alice.req().delete(BASE + "/" + name).then().statusCode(202);
        await("deleted", () -> Cluster.get(client, resource) == null);
        alice.req().get(BASE + "/" + name).then().statusCode(404);
    }

    @Test
    void handsOutAKubeconfigForTheNamespace() {
        Api alice = Api.builder(ClusterSetup.KUBECONFIG_TENANT);
        String name = ClusterSetup.KUBECONFIG_ENV;
        alice.req().body(Map.of("name", name)).post(BASE).then().statusCode(201);
        String ns = "env-" + Environment.resourceName(alice.tenant(), name);
        await("service account", () -> client.serviceAccounts().inNamespace(ns)
                .withName(DesiredState.SERVICE_ACCOUNT).get());
        String yaml = alice.req().get(BASE + "/" + name + "/kubeconfig").then().statusCode(200)
                .contentType(containsString("application/yaml")).header("Cache-Control", "no-store")
                .extract().asString();
        assertTrue(yaml.contains("token: " + ClusterSetup.ISSUED_TOKEN), yaml);
        assertTrue(yaml.contains("namespace: " + ns), yaml);
        assertFalse(yaml.contains("null"), yaml);
        Api.viewer(alice.tenant()).req().get(BASE + "/" + name + "/kubeconfig").then().statusCode(403);
    }
}
