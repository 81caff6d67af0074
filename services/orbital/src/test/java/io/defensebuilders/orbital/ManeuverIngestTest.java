package io.defensebuilders.orbital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orekit.propagation.analytical.tle.TLE;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.orbital.maneuvers.Burns;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Maneuver detection as element sets arrive over REST: a pair with a known burn shows one maneuver with its Δv and
 * kind, announced on orbital.maneuvers.v1; a pair without one shows none; a late element set splits a pair.
 */
@QuarkusTest
class ManeuverIngestTest {

    static Burns burns;

    private final String tenant = TestClient.newTenant();
    private final Api alice = Api.publisher(tenant);

    @BeforeAll
    static void orekit() {
        burns = new Burns(OrekitData.bundled());
    }

    private JsonPath upload(String text) {
        return alice.upload("text/plain", text).then().statusCode(200).extract().jsonPath();
    }

    private JsonPath maneuvers(int norad) {
        return alice.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void aBurnBetweenTwoElementSetsIsFoundStoredAndAnnounced() {
        int norad = Api.newNorad();
        TLE before = burns.leo(norad);
        TLE after = burns.afterBurn(before, 86400, 0, 10, 0, 43200);
        upload(Burns.text("SAT", before));
        JsonPath ingest = upload(Burns.text("SAT", after));

        JsonPath page = maneuvers(norad);
        assertEquals(1, page.getList("items").size(), page.prettify());
        assertEquals("ALTITUDE_RAISE", page.getString("items[0].maneuverType"));
        assertEquals("LEO", page.getString("items[0].regime"));
        assertEquals(10, page.getDouble("items[0].deltaV.total"), 1.5);
        assertEquals(10, page.getDouble("items[0].deltaV.inTrack"), 1.0);
        assertTrue(page.getDouble("items[0].confidence") > 0.9);
        assertEquals(ingest.getString("elementSets[0].id"), page.getString("items[0].afterElementSetId"));
        assertEquals("2026-11-01T00:00:00Z", page.getString("items[0].windowStart"));
        // the burn was a day into the window
        Instant burn = Instant.parse(page.getString("items[0].burnTime"));
        assertTrue(Math.abs(Duration.between(Instant.parse("2026-11-02T00:00:00Z"), burn).toSeconds()) < 120,
                "burn time " + burn);
        assertTrue(page.getDouble("items[0].burnTimeUncertaintyS") < 600);
        String id = page.getString("items[0].id");

        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> events = TopicReader.await(
                Topics.ORBITAL_MANEUVERS_V1, rec -> rec.value().contains(id), 1, Duration.ofSeconds(20));
        assertEquals(tenant, events.getFirst().key());
        JsonPath event = new JsonPath(events.getFirst().value());
        assertEquals(id, event.getString("id"));
        assertEquals("io.defensebuilders.orbital.v1.maneuver.detected", event.getString("type"));
        assertEquals(norad, event.getInt("data.noradId"));
        assertEquals(Integer.toString(norad), event.getString("data.objectId"));
        assertEquals("ALTITUDE_RAISE", event.getString("data.maneuverType"));
        assertEquals(10, event.getDouble("data.deltaV"), 1.5);
        assertEquals(burn.toString(), event.getString("data.burnTime"));

        // the whole-catalog listing holds it too; re-ingesting the pair finds nothing new
        JsonPath all = alice.req().get("/api/v1/orbital/maneuvers?since=2026-11-01T00:00:00Z&limit=1000").then()
                .statusCode(200).extract().jsonPath();
        assertTrue(all.getList("items.id").contains(id));
        Api.publisher(TestClient.newTenant()).upload("text/plain", Burns.text("SAT", before, after)).then().statusCode(200);
        assertEquals(1, maneuvers(norad).getList("items").size());
    }

    @Test
    void theSameOrbitRefittedLaterIsNoManeuver() {
        int norad = Api.newNorad();
        TLE before = burns.leo(norad);
        upload(Burns.text("QUIET", before, burns.afterBurn(before, 43200, 0, 0, 0, 43200),
                burns.afterBurn(before, 86400, 0, 0, 0, 86400)));
        assertEquals(List.of(), maneuvers(norad).getList("items"));
    }

    @Test
    void aLateElementSetSplitsThePairAndNarrowsTheWindow() {
        int norad = Api.newNorad();
        TLE a = burns.leo(norad);
        TLE b = burns.afterBurn(a, 20000, 0, 0, 25, 10000); // plane change between a and b
        TLE c = burns.afterBurn(b, 86400, 0, 0, 0, 86400); // no burn between b and c
        upload(Burns.text("LATE", a, c));
        List<Map<String, Object>> coarse = maneuvers(norad).getList("items");
        assertEquals(1, coarse.size());
        assertEquals("PLANE_CHANGE", coarse.getFirst().get("maneuverType"));
        String coarseId = (String) coarse.getFirst().get("id");

        String bEpoch = upload(Burns.text("LATE", b)).getString("elementSets[0].epoch");
        JsonPath fine = maneuvers(norad);
        assertEquals(1, fine.getList("items").size(), "the a-c maneuver is superseded by a-b: " + fine.prettify());
        assertEquals("PLANE_CHANGE", fine.getString("items[0].maneuverType"));
        assertEquals(bEpoch, fine.getString("items[0].epoch"));
        assertEquals("2026-11-01T00:00:00Z", fine.getString("items[0].windowStart"));

        // the withdrawal is announced: the coarse maneuver's data under a type of its own
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> events = TopicReader.await(
                Topics.ORBITAL_MANEUVERS_V1, rec -> rec.value().contains(coarseId)
                        && rec.value().contains("maneuver.superseded"),
                1, Duration.ofSeconds(20));
        JsonPath withdrawn = new JsonPath(events.getFirst().value());
        assertEquals("io.defensebuilders.orbital.v1.maneuver.superseded", withdrawn.getString("type"));
        assertEquals(coarseId, withdrawn.getString("data.maneuverId"));
        assertEquals(norad, withdrawn.getInt("data.noradId"));
        assertTrue(!withdrawn.getString("id").equals(coarseId), "an event id of its own");
    }

    @Test
    void badQueriesAndUnknownObjectsAreClearErrors() {
        alice.req().get("/api/v1/orbital/objects/339000/maneuvers").then().statusCode(404)
                .contentType("application/problem+json");
        alice.req().get("/api/v1/orbital/maneuvers?since=yesterday").then().statusCode(400)
                .contentType("application/problem+json");
        alice.req().get("/api/v1/orbital/maneuvers?cursor=nonsense").then().statusCode(400)
                .contentType("application/problem+json");
        alice.req().get("/api/v1/orbital/maneuvers?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
