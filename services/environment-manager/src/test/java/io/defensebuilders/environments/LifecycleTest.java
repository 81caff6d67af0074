package io.defensebuilders.environments;

import static io.defensebuilders.environments.Cluster.await;
import static io.defensebuilders.environments.Cluster.awaitPhase;
import static io.defensebuilders.environments.Cluster.environment;
import static io.defensebuilders.environments.Cluster.sdk;
import static io.defensebuilders.testing.quarkus.TestClient.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.environments.operator.DesiredState;
import io.defensebuilders.environments.operator.OperatorLifecycle;
import io.defensebuilders.testing.kafka.TopicReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** ttl, idle sleep, wake and sleep retention, against a clock the test moves forward. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = ClusterSetup.class)
class LifecycleTest {

    @Inject
    KubernetesClient client;

    @Inject
    TestClock clock;

    @Inject
    OperatorLifecycle operator;

    @Test
    void ttlDeletesTheEnvironmentAndSaysWhy() {
        String name = unique("ttl");
        Environment env = environment(name, "acme");
        env.getSpec().ttl = "1h";
        client.resource(env).create();
        Environment ready = awaitPhase(client, name, Phase.Ready);
        Instant expires = Instant.parse(ready.getStatus().expiresAt);
        assertEquals(Instant.parse(ready.getStatus().startedAt).plus(Duration.ofHours(1)), expires);

        operator.reconcileNow(name);
        awaitPhase(client, name, Phase.Ready);
        assertNotNull(Cluster.get(client, name), "still alive before the ttl");

        // a quarter of a 1h ttl ahead, the environment says it expires soon, once
        clock.advance(Duration.ofMinutes(50));
        operator.reconcileNow(name);
        List<ConsumerRecord<String, String>> expiring = TopicReader.await(Topics.ENVIRONMENTS_V1,
                r -> r.value().contains("\"subject\":\"" + name + "\"") && r.value().contains(EnvironmentsV1.EXPIRING),
                1, Duration.ofSeconds(20));
        assertTrue(expiring.getFirst().value().contains("runs out at " + expires), expiring.getFirst().value());
        await("the warning recorded", () -> expires.toString().equals(Cluster.get(client, name).getStatus().expiryWarnedFor));
        operator.reconcileNow(name);

        clock.advance(Duration.ofMinutes(11));
        operator.reconcileNow(name);
        await("deleted after its ttl", () -> Cluster.get(client, name) == null);
        assertEquals(null, client.namespaces().withName(Environment.namespaceOf(name)).get());

        List<ConsumerRecord<String, String>> deleted = TopicReader.await(Topics.ENVIRONMENTS_V1,
                r -> r.value().contains("\"subject\":\"" + name + "\"") && r.value().contains(EnvironmentsV1.DELETED),
                1, Duration.ofSeconds(20));
        assertEquals(1, deleted.size());
        assertTrue(deleted.getFirst().value().contains("the ttl of 1h ran out"), deleted.getFirst().value());
        assertEquals(1, TopicReader.await(Topics.ENVIRONMENTS_V1, r -> r.value().contains("\"subject\":\"" + name + "\"")
                && r.value().contains(EnvironmentsV1.EXPIRING), 2, Duration.ofSeconds(5)).size(), "said once");
        assertEquals("acme", deleted.getFirst().key(), "record key is the tenant");
    }

    @Test
    void idleEnvironmentSleepsKeepsItsDataAndWakes() {
        String name = unique("idle");
        Environment env = environment(name, "acme", sdk("foundry-cli", null));
        env.getSpec().idleTimeout = "30m";
        env.getSpec().resources = new EnvironmentSpec.Resources(null, null, "1Gi");
        client.resource(env).create();
        Cluster.markAvailable(client, name, "foundry-cli");
        awaitPhase(client, name, Phase.Ready);
        String ns = Environment.namespaceOf(name);

        clock.advance(Duration.ofMinutes(31));
        operator.reconcileNow(name);
        Environment asleep = awaitPhase(client, name, Phase.Sleeping);
        assertTrue(asleep.getSpec().sleeping, "the operator put it to sleep");
        assertTrue(asleep.getStatus().message.contains("without activity"), asleep.getStatus().message);
        await("scaled to zero", () -> client.apps().deployments().inNamespace(ns).withName("sdk-foundry-cli").get()
                .getSpec().getReplicas() == 0);
        assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName(DesiredState.WORKSPACE).get(),
                "data kept while asleep");

        Api.builder("acme").req().post("/api/v1/environments/" + name + "/wake").then().statusCode(200);
        await("woken and scaled up", () -> client.apps().deployments().inNamespace(ns).withName("sdk-foundry-cli").get()
                .getSpec().getReplicas() == 1);
        Cluster.markAvailable(client, name, "foundry-cli"); // the pod comes back up
        awaitPhase(client, name, Phase.Ready);
        assertEquals(1, TopicReader.await(Topics.ENVIRONMENTS_V1, r -> r.value().contains("\"subject\":\"" + name
                + "\"") && r.value().contains(EnvironmentsV1.WOKEN), 1, Duration.ofSeconds(20)).size());

        // woken means active: the idle timer starts again
        clock.advance(Duration.ofMinutes(10));
        operator.reconcileNow(name);
        awaitPhase(client, name, Phase.Ready);
        assertEquals(false, Cluster.get(client, name).getSpec().sleeping);
    }

    @Test
    void sleepingTooLongDeletesUnlessPersistent() {
        String gone = unique("nap");
        Environment napping = environment(gone, "acme");
        napping.getSpec().sleeping = true;
        client.resource(napping).create();
        String kept = unique("keep");
        Environment persistent = environment(kept, "acme");
        persistent.getSpec().sleeping = true;
        persistent.getSpec().persistent = true;
        client.resource(persistent).create();
        awaitPhase(client, gone, Phase.Sleeping);
        awaitPhase(client, kept, Phase.Sleeping);

        clock.advance(Duration.ofDays(8));
        operator.reconcileNow(gone);
        operator.reconcileNow(kept);
        await("non-persistent deleted after the sleep retention", () -> Cluster.get(client, gone) == null);
        operator.reconcileNow(kept);
        awaitPhase(client, kept, Phase.Sleeping);
        assertNotNull(Cluster.get(client, kept));
    }
}
