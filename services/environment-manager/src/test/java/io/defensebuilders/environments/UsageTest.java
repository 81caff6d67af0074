package io.defensebuilders.environments;

import static io.defensebuilders.environments.Cluster.awaitPhase;
import static io.defensebuilders.environments.Cluster.environment;
import static io.defensebuilders.testing.quarkus.TestClient.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.environments.messaging.EnvironmentEvents;
import io.defensebuilders.environments.messaging.EventIds;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** environment.minutes: whole Ready minutes, each with an id that a restart reproduces. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = ClusterSetup.class)
class UsageTest {

    @Inject
    KubernetesClient client;

    @Inject
    TestClock clock;

    @Inject
    EnvironmentEvents events;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Test
    void countsReadyMinutesOnceWithIdsARestartReproduces() throws Exception {
        String name = unique("usage");
        String tenant = TestClient.newTenant();
        client.resource(environment(name, tenant)).create();
        Environment ready = awaitPhase(client, name, Phase.Ready);
        Instant readySince = Instant.parse(ready.getStatus().readySince);
        String uid = ready.getMetadata().getUid();
        Instant now = readySince.plus(Duration.ofMinutes(5)).plusSeconds(30);

        assertEquals(5, events.countMinutes(ready, readySince, now), "five whole minutes");
        assertEquals(0, events.countMinutes(ready, readySince, now), "nothing twice");

        // a lost bookkeeping row (or an operator that died before committing it) re-emits the same ids
        pool.preparedQuery("DELETE FROM usage_periods WHERE environment_uid = $1").execute(Tuple.of(uid)).await()
                .indefinitely();
        assertEquals(5, events.countMinutes(ready, readySince, now));

        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1,
                r -> r.key().equals(tenant), 10, Duration.ofSeconds(30));
        assertEquals(10, records.size());
        Set<String> expected = LongStream.range(0, 5).mapToObj(k -> EventIds.of("environment.minutes:" + uid + ":"
                + readySince.toEpochMilli() + ":" + k)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> ids = new TreeSet<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode event = json.readTree(r.value());
            ids.add(event.path("id").asText());
            assertEquals("io.defensebuilders.usage.v1", event.path("type").asText());
            assertEquals("environment.minutes", event.path("data").path("meter").asText());
            assertEquals(1, event.path("data").path("quantity").asInt());
            assertEquals(name, event.path("data").path("attributes").path("environment").asText());
        }
        assertEquals(expected, ids, "ten records, five distinct ids: billing counts five minutes");
    }

    @Test
    void sleepingClosesTheReadyPeriod() {
        String name = unique("close");
        String tenant = TestClient.newTenant();
        client.resource(environment(name, tenant)).create();
        Environment ready = awaitPhase(client, name, Phase.Ready);
        assertTrue(ready.getStatus().readySince != null);
        clock.advance(Duration.ofMinutes(3));
        Cluster.edit(client, name, e -> {
            e.getSpec().sleeping = true;
        });
        Environment asleep = awaitPhase(client, name, Phase.Sleeping);
        assertEquals(null, asleep.getStatus().readySince, "no longer counting");
        List<ConsumerRecord<String, String>> minutes = TopicReader.await(Topics.USAGE_V1,
                r -> r.key().equals(tenant), 3, Duration.ofSeconds(30));
        assertEquals(3, minutes.size(), "the minutes Ready before sleeping were counted when it fell asleep");
    }
}
