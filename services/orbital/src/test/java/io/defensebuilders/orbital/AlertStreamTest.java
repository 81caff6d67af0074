package io.defensebuilders.orbital;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orekit.propagation.analytical.tle.TLE;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalConjunctionsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.orbital.alerts.AlertHub;
import io.defensebuilders.orbital.maneuvers.Burns;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.infra.SharedInfra;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.restassured.path.json.JsonPath;

/**
 * The WebSocket alert stream end to end: element sets ingested over REST → maneuver found → orbital.maneuvers.v1 on
 * Kafka → the alert consumer → the connections following that object, and only those; conjunctions only to their
 * tenant; bad subscriptions answered with a problem.
 */
@QuarkusTest
class AlertStreamTest {

    static Burns burns;

    @Inject
    AlertHub hub;
    @Inject
    CloudEventCodec codec;

    @TestHTTPResource("/")
    URI base;

    private final String tenant = TestClient.newTenant();
    private final Api alice = Api.publisher(tenant);

    @BeforeAll
    static void orekit() {
        burns = new Burns(OrekitData.bundled());
    }

    @BeforeEach
    void consumerReady() {
        await("the alert consumer has its partitions").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(hub::assigned);
    }

    /** A connection and what it received. */
    record Client(WebSocketClientConnection connection, List<String> received) {

        JsonPath await(Predicate<JsonPath> what, Duration timeout) {
            try {
                return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                        .until(() -> received.stream().map(JsonPath::new).filter(what).findFirst(), Optional::isPresent)
                        .orElseThrow();
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("nothing matching arrived in " + timeout + "; received " + received);
            }
        }
    }

    private Client connect(Api who, String query) {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocketClientConnection c = BasicWebSocketConnector.create().baseUri(base)
                .path("/api/v1/orbital/alerts" + query)
                .addHeader("Authorization", "Bearer " + who.token())
                .onTextMessage((conn, m) -> received.add(m))
                .connectAndAwait();
        return new Client(c, received);
    }

    private static TLE leo(int norad) {
        String sat = String.format("%05d", norad);
        return burns.tle("1 " + sat + "U 26001A   26305.00000000  .00000000  00000-0  00000-0 0  9990",
                "2 " + sat + "  97.4000 120.0000 0010000  90.0000 270.0000 15.20000000    12");
    }

    private void uploadBurn(int norad) {
        TLE before = leo(norad);
        TLE after = burns.afterBurn(before, 86400, 0, 10, 0, 43200);
        alice.upload("text/plain", "SAT\n" + before.getLine1() + "\n" + before.getLine2() + "\nSAT\n" + after.getLine1()
                + "\n" + after.getLine2() + "\n").then().statusCode(200);
    }

    @Test
    void aTenantsPrivateManeuverReachesOnlyItsConnectionsAndASharedOneEveryone() throws Exception {
        int norad = Api.newNorad();
        int shared = Api.newNorad();
        Client mine = connect(alice, "?objects=" + norad + "," + shared + "&kinds=maneuver");
        Client theirs = connect(Api.viewer(TestClient.newTenant()), "?objects=" + norad + "," + shared + "&kinds=maneuver");
        mine.await(j -> j.getList("subscribed") != null, Duration.ofSeconds(5));
        theirs.await(j -> j.getList("subscribed") != null, Duration.ofSeconds(5));

        uploadBurn(norad); // alice's overlay: her maneuver
        TLE before = leo(shared);
        TLE after = burns.afterBurn(before, 86400, 0, 10, 0, 43200);
        new Api(TestClient.newTenant(), "ops", "platform-admin").upload("text/plain", "SAT\n" + before.getLine1() + "\n"
                + before.getLine2() + "\nSAT\n" + after.getLine1() + "\n" + after.getLine2() + "\n").then()
                .statusCode(200);
        mine.await(j -> "MANEUVER".equals(j.getString("alert")) && j.getList("noradIds").contains(norad),
                Duration.ofSeconds(20));
        mine.await(j -> "MANEUVER".equals(j.getString("alert")) && j.getList("noradIds").contains(shared),
                Duration.ofSeconds(20));
        theirs.await(j -> "MANEUVER".equals(j.getString("alert")) && j.getList("noradIds").contains(shared),
                Duration.ofSeconds(20));
        Thread.sleep(1000); // time for a wrong delivery to arrive: proves it does not
        assertTrue(theirs.received().stream().noneMatch(m -> m.contains("\"noradIds\":[" + norad + "]")),
                "another tenant's private maneuver is not delivered: " + theirs.received());
        mine.connection().closeAndAwait();
        theirs.connection().closeAndAwait();
    }

    @Test
    void maneuverAlertsReachTheConnectionsFollowingTheObjectOnly() throws Exception {
        int followed = Api.newNorad();
        int other = Api.newNorad();
        Client client = connect(alice, "?objects=" + followed + "&kinds=maneuver,ccdm");
        client.await(j -> j.getList("subscribed") != null && j.getList("subscribed").contains(followed),
                Duration.ofSeconds(5));

        uploadBurn(other);
        uploadBurn(followed);
        JsonPath alert = client.await(j -> "MANEUVER".equals(j.getString("alert")), Duration.ofSeconds(20));
        assertEquals(List.of(followed), alert.getList("noradIds"));
        assertEquals("ALTITUDE_RAISE", alert.getString("data.maneuverType"));
        assertEquals("io.defensebuilders.orbital.v1.maneuver.detected", alert.getString("type"));
        // the ingest's CCDM reassessment (debris or not, a new maneuver makes a first assessment) follows
        client.await(j -> "CCDM".equals(j.getString("alert")) && j.getInt("data.noradId") == followed,
                Duration.ofSeconds(20));
        Thread.sleep(1000); // time for a wrong delivery to arrive: proves it does not
        assertTrue(client.received().stream().noneMatch(m -> m.contains("\"noradIds\":[" + other + "]")),
                "nothing about an object the client does not follow: " + client.received());

        // subscribe to more while connected
        client.connection().sendTextAndAwait("{\"action\":\"subscribe\",\"objects\":[" + other + "]}");
        client.await(j -> j.getList("subscribed") != null && j.getList("subscribed").contains(other),
                Duration.ofSeconds(5));
        TLE later = burns.afterBurn(leo(other), 3 * 86400, 0, 0, 20, 43200);
        alice.upload("text/plain", "SAT\n" + later.getLine1() + "\n" + later.getLine2() + "\n").then().statusCode(200);
        JsonPath second = client.await(j -> "MANEUVER".equals(j.getString("alert"))
                && j.getList("noradIds").contains(other), Duration.ofSeconds(20));
        assertEquals("PLANE_CHANGE", second.getString("data.maneuverType"));
        client.connection().closeAndAwait();
    }

    @Test
    void aConjunctionReachesOnlyItsTenant() throws Exception {
        int a = Api.newNorad();
        int b = Api.newNorad();
        Client mine = connect(alice, "?objects=" + a);
        Client theirs = connect(Api.viewer(TestClient.newTenant()), "?objects=" + a + "," + b);
        mine.await(j -> j.getList("subscribed") != null, Duration.ofSeconds(5));
        theirs.await(j -> j.getList("subscribed") != null, Duration.ofSeconds(5));

        String id = java.util.UUID.randomUUID().toString();
        OrbitalConjunctionsV1 data = new OrbitalConjunctionsV1(tenant, "s-1", id, a, "A", b, "B", Instant.now(), 0.8,
                12.1, 1e-5, Instant.now());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.ORBITAL_CONJUNCTIONS_V1, tenant, codec.encode(CloudEvent.of(id,
                    "/tests", OrbitalConjunctionsV1.CONJUNCTION_FOUND, tenant, "s-1", Instant.now(), data)))).get();
        }
        JsonPath alert = mine.await(j -> "CONJUNCTION".equals(j.getString("alert")), Duration.ofSeconds(20));
        assertEquals(List.of(a, b), alert.getList("noradIds"));
        assertEquals(0.8, alert.getDouble("data.missDistanceKm"), 1e-9);
        Thread.sleep(1000); // time for a wrong delivery to arrive: proves it does not
        assertTrue(theirs.received().stream().noneMatch(m -> m.contains("\"alert\":\"CONJUNCTION\"")),
                "another tenant's conjunction is invisible: " + theirs.received());
    }

    @Test
    void badSubscriptionsAreAnsweredWithAProblem() throws Exception {
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> BasicWebSocketConnector.create()
                .baseUri(base).path("/api/v1/orbital/alerts").connectAndAwait(), "no token, no upgrade");
        Client bad = connect(alice, "?objects=abc");
        JsonPath error = bad.await(j -> j.get("error") != null, Duration.ofSeconds(5));
        assertEquals(400, error.getInt("error.status"));
        assertTrue(error.getString("error.detail").contains("'abc' is not a NORAD id"));

        Client client = connect(alice, "");
        client.await(j -> j.getList("subscribed") != null, Duration.ofSeconds(5));
        client.connection().sendTextAndAwait("{\"action\":\"dance\",\"objects\":[1]}");
        JsonPath e = client.await(j -> j.get("error") != null, Duration.ofSeconds(5));
        assertTrue(e.getString("error.detail").startsWith("action:"), e.prettify());
        client.connection().sendTextAndAwait("not json");
        client.await(j -> j.get("error") != null && j.getString("error.detail").startsWith("not JSON"),
                Duration.ofSeconds(5));
        client.connection().closeAndAwait();
    }
}
