package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.billing.messaging.UsageConsumer;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Each aggregation, end to end: events on the real usage.v1 topic, aggregates read back through the usage API. */
@QuarkusTest
class MeteringTest {

    private static final Instant T = UsageEvents.BASE;

    @Inject
    CloudEventCodec codec;

    @Inject
    UsageConsumer consumer;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    private final String tenant = TestClient.newTenant();
    private final Api viewer = Api.viewer(tenant);

    private static Instant at(int minute, int second) {
        return T.plus(Duration.ofMinutes(minute).plusSeconds(second));
    }

    @Test
    void countsTheGatewaysApiCallsPerRouteWithTheDefaultMeter() {
        List<CloudEvent<UsageV1>> calls = new ArrayList<>();
        // shaped exactly as services/gateway's UsageRecorder writes them
        for (int i = 0; i < 3; i++) {
            calls.add(gatewayCall("sdk-registry", at(0, 10 + i)));
        }
        calls.add(gatewayCall("sdk-registry", at(1, 59)));
        calls.add(gatewayCall("orbital", at(1, 0)));
        new UsageEvents(codec).send(Topics.USAGE_V1, calls).awaitConsumed(group);

        Instant from = T;
        Instant to = T.plus(Duration.ofHours(1));
        assertEquals(new BigDecimal("5"), viewer.total("api.call", from, to));
        List<Api.Row> perRoute = viewer.usage("api.call", from, to, "groupBy", "route");
        assertEquals(List.of(Map.of("route", "orbital"), Map.of("route", "sdk-registry")),
                perRoute.stream().map(Api.Row::groupBy).toList());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("4")), perRoute.stream().map(Api.Row::value).toList());

        List<Api.Row> perMinute = viewer.usage("api.call", from, to, "windowSize", "MINUTE");
        assertEquals(2, perMinute.size());
        assertEquals(T, perMinute.get(0).windowStart());
        assertEquals(T.plusSeconds(60), perMinute.get(0).windowEnd());
        assertEquals(new BigDecimal("3"), perMinute.get(0).value());
        assertEquals(new BigDecimal("2"), perMinute.get(1).value());
        // a range that starts after the first minute leaves it out
        assertEquals(new BigDecimal("2"), viewer.total("api.call", T.plusSeconds(60), to));
    }

    @Test
    void sumsExactDecimalsFromTheQuantityAndFromAttributes() {
        String eventMeter = TestClient.unique("storage");
        String byQuantity = Api.createMeter(TestClient.unique("gb"), eventMeter, "SUM", "quantity", List.of());
        String byAttribute = Api.createMeter(TestClient.unique("bytes"), eventMeter, "SUM", "attributes.bytes", List.of());
        List<CloudEvent<UsageV1>> events = List.of(
                UsageEvents.event(tenant, eventMeter, "0.1", at(0, 1), Map.of("bytes", "1024")),
                UsageEvents.event(tenant, eventMeter, "0.1", at(0, 2), Map.of("bytes", "2048.5")),
                UsageEvents.event(tenant, eventMeter, "0.1", at(3, 0), Map.of("bytes", " 1 ")));
        new UsageEvents(codec).send(Topics.USAGE_V1, events).awaitConsumed(group);

        Instant to = T.plus(Duration.ofDays(1));
        assertEquals(new BigDecimal("0.3"), viewer.total(byQuantity, T, to));
        assertEquals(new BigDecimal("3073.5"), viewer.total(byAttribute, T, to));
        List<Api.Row> hourly = viewer.usage(byQuantity, T, to, "windowSize", "HOUR");
        assertEquals(1, hourly.size());
        assertEquals(T.plus(Duration.ofHours(1)), hourly.getFirst().windowEnd());
    }

    @Test
    void maxTakesTheLargestAndLatestTheValueWithTheLatestEventTime() {
        String eventMeter = TestClient.unique("gauge");
        String max = Api.createMeter(TestClient.unique("max"), eventMeter, "MAX", "quantity", List.of());
        String latest = Api.createMeter(TestClient.unique("latest"), eventMeter, "LATEST", "quantity", List.of("region"));
        UsageEvents kafka = new UsageEvents(codec);
        // arrival order is not event order: the event of minute 5 arrives first, an older larger one after it
        kafka.send(Topics.USAGE_V1, UsageEvents.event(tenant, eventMeter, "7", at(5, 0), Map.of("region", "eu")));
        kafka.awaitConsumed(group);
        kafka.send(Topics.USAGE_V1, List.of(
                UsageEvents.event(tenant, eventMeter, "9", at(3, 0), Map.of("region", "eu")),
                UsageEvents.event(tenant, eventMeter, "-2.5", at(70, 0), Map.of("region", "us")),
                // two events at the same instant: the greater (source, id) wins, whatever the arrival order
                UsageEvents.event("b-" + tenant, tenant, eventMeter, "4", "s", at(80, 0), Map.of("region", "ap")),
                UsageEvents.event("a-" + tenant, tenant, eventMeter, "3", "s", at(80, 0), Map.of("region", "ap"))));
        kafka.awaitConsumed(group);

        Instant to = T.plus(Duration.ofDays(1));
        assertEquals(new BigDecimal("9"), viewer.total(max, T, to));
        assertEquals(new BigDecimal("4"), viewer.total(latest, T, to));
        List<Api.Row> perRegion = viewer.usage(latest, T, to, "groupBy", "region");
        assertEquals(List.of(new BigDecimal("4"), new BigDecimal("7"), new BigDecimal("-2.5")),
                perRegion.stream().map(Api.Row::value).toList());
        List<Api.Row> hourly = viewer.usage(latest, T, to, "windowSize", "HOUR");
        assertEquals(List.of(new BigDecimal("7"), new BigDecimal("4")), hourly.stream().map(Api.Row::value).toList());
        assertEquals(new BigDecimal("7"), viewer.total(latest, T, T.plus(Duration.ofHours(1))));
    }

    @Test
    void uniqueCountIsDistinctOverTheWholePeriodNotASumOfMinutes() {
        String eventMeter = TestClient.unique("active");
        String users = Api.createMeter(TestClient.unique("users"), eventMeter, "UNIQUE_COUNT", "subject", List.of("plan"));
        List<CloudEvent<UsageV1>> events = new ArrayList<>();
        for (String[] e : new String[][] { { "alice", "0" }, { "bob", "0" }, { "alice", "0" }, { "alice", "1" },
                { "carol", "2" }, { "bob", "65" } }) {
            events.add(UsageEvents.event(java.util.UUID.randomUUID().toString(), tenant, eventMeter, "1", e[0],
                    at(Integer.parseInt(e[1]), 0), Map.of("plan", e[0].equals("carol") ? "free" : "pro")));
        }
        new UsageEvents(codec).send(Topics.USAGE_V1, events).awaitConsumed(group);

        Instant to = T.plus(Duration.ofDays(1));
        assertEquals(new BigDecimal("3"), viewer.total(users, T, to));
        assertEquals(List.of(new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("1"), new BigDecimal("1")),
                viewer.usage(users, T, to, "windowSize", "MINUTE").stream().map(Api.Row::value).toList());
        assertEquals(List.of(new BigDecimal("3"), new BigDecimal("1")),
                viewer.usage(users, T, to, "windowSize", "HOUR").stream().map(Api.Row::value).toList());
        List<Api.Row> perPlan = viewer.usage(users, T, to, "groupBy", "plan");
        assertEquals(List.of(Map.of("plan", "free"), Map.of("plan", "pro")), perPlan.stream().map(Api.Row::groupBy).toList());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("2")), perPlan.stream().map(Api.Row::value).toList());
    }

    @Test
    void eventsNoMeterMatchesAreIgnoredAndAMeterCountsOnlyFromItsCreation() {
        String eventMeter = TestClient.unique("unmetered");
        long ignoredBefore = consumer.main().orElseThrow().stats().ignored();
        UsageEvents kafka = new UsageEvents(codec);
        kafka.send(Topics.USAGE_V1, UsageEvents.event(tenant, eventMeter, "1", at(0, 0), Map.of())).awaitConsumed(group);
        assertTrue(consumer.main().orElseThrow().stats().ignored() > ignoredBefore);

        String meter = Api.createMeter(TestClient.unique("late"), eventMeter, "COUNT", null, List.of());
        kafka.send(Topics.USAGE_V1, UsageEvents.event(tenant, eventMeter, "1", at(0, 30), Map.of())).awaitConsumed(group);
        // the earlier event was deduplicated and counted as ignored: no raw events are kept to replay into new meters
        assertEquals(new BigDecimal("1"), viewer.total(meter, T, T.plus(Duration.ofHours(1))));
    }

    private CloudEvent<UsageV1> gatewayCall(String route, Instant at) {
        UsageV1 data = new UsageV1(tenant, UsageV1.API_CALL, BigDecimal.ONE, "key-1", at, Map.of("route", route,
                "method", "GET", "status", "200", "bytesIn", "0", "bytesOut", "512", "requestId",
                java.util.UUID.randomUUID().toString()));
        return CloudEvent.of(java.util.UUID.randomUUID().toString(), "/services/gateway", UsageV1.TYPE, tenant, route, at,
                data);
    }
}
