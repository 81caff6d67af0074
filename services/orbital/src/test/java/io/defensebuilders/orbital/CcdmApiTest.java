package io.defensebuilders.orbital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

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

/** CCDM over REST and Kafka: indicators from real ingested history, announced when the assessment changes. */
@QuarkusTest
class CcdmApiTest {

    static Burns burns;

    private final String tenant = TestClient.newTenant();
    private final Api alice = Api.publisher(tenant);

    @BeforeAll
    static void orekit() {
        burns = new Burns(OrekitData.bundled());
    }

    /** A 97.4°, 15.2 rev/day orbit; the plane (RAAN) is the test's own, away from other tests' objects. */
    private static TLE leo(int norad, int plane, String meanAnomaly) {
        String sat = String.format("%05d", norad);
        return burns.tle("1 " + sat + "U 26001A   26305.00000000  .00000000  00000-0  00000-0 0  9990",
                "2 " + sat + "  97.4000 " + String.format("%8.4f", 7.0 * (plane % 50)) + " 0010000  90.0000 "
                        + meanAnomaly + " 15.20000000    12");
    }

    private static String threeLe(String name, TLE... tles) {
        StringBuilder b = new StringBuilder();
        for (TLE t : tles) {
            b.append(name).append('\n').append(t.getLine1()).append('\n').append(t.getLine2()).append('\n');
        }
        return b.toString();
    }

    private JsonPath assess(int norad) {
        return alice.req().get("/api/v1/orbital/ccdm/" + norad).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void debrisThatManeuversIsFlaggedAndTheChangeAnnounced() {
        int norad = Api.newNorad();
        TLE before = leo(norad, norad, "270.0000");
        alice.upload("text/plain", threeLe("FENGYUN 1C DEB", before, burns.afterBurn(before, 86400, 0, 5, 0, 43200)))
                .then().statusCode(200);
        JsonPath a = assess(norad);
        assertEquals(Integer.toString(norad), a.getString("objectId"));
        assertEquals("DEBRIS", a.getString("objectType"));
        assertEquals("MANEUVERING", a.getString("ccdmType"));
        assertEquals("UNEXPECTED_MANEUVER", a.getString("indicators[0].type"));
        assertTrue(a.getString("indicators[0].summary").contains("DEBRIS"), a.getString("indicators[0].summary"));
        assertEquals("ALTITUDE_RAISE", a.getString("indicators[0].evidence.maneuvers[0].maneuverType"));
        assertTrue(List.of("HIGH", "CRITICAL").contains(a.getString("threatLevel")), a.prettify());
        assertEquals(2, a.getInt("basis.elementSets"));
        assertEquals(1, a.getInt("basis.maneuvers"));

        // the first assessment (after the ingest, or this request) is a change; asking again changes nothing
        var events = TopicReader.await(Topics.ORBITAL_CCDM_V1,
                rec -> rec.value().contains("\"noradId\":" + norad + ","), 1, Duration.ofSeconds(20));
        JsonPath event = new JsonPath(events.getFirst().value());
        assertEquals("io.defensebuilders.orbital.v1.ccdm.assessment-changed", event.getString("type"));
        assertEquals(a.getString("threatLevel"), event.getString("data.threatLevel"));
        assertEquals("UNEXPECTED_MANEUVER", event.getString("data.indicators[0].type"));
        assertEquals(tenant, events.getFirst().key());
        assess(norad);
        assertEquals(1, TopicReader.await(Topics.ORBITAL_CCDM_V1,
                rec -> rec.value().contains("\"noradId\":" + norad + ","), 1, Duration.ofSeconds(3)).size(),
                "an unchanged assessment is not announced again");
    }

    @Test
    void aCompanionKeepingStationNearbyIsAProximityOperation() {
        int target = Api.newNorad();
        int chaser = Api.newNorad();
        alice.upload("text/plain", threeLe("TARGET SAT", leo(target, target, "270.0000"))
                + threeLe("CHASER SAT", leo(chaser, target, "270.0500"))).then().statusCode(200);
        JsonPath a = assess(target);
        assertEquals("PROXIMITY_OPERATION", a.getString("indicators[0].type"), a.prettify());
        assertEquals(chaser, a.getInt("indicators[0].evidence.objects[0].noradId"));
        assertEquals(1.0, a.getDouble("indicators[0].evidence.objects[0].fractionWithin"), 1e-9);
        assertTrue(a.getDouble("indicators[0].evidence.objects[0].minDistanceKm") < 10);
        assertEquals(1, a.getInt("basis.objectsNear"));
    }

    @Test
    void aQuietObjectIsNoneAndAnUnknownOneIsA404() {
        int norad = Api.newNorad();
        alice.upload("text/plain", threeLe("QUIET SAT", leo(norad, norad, "010.0000"))).then().statusCode(200);
        JsonPath a = assess(norad);
        assertEquals("NONE", a.getString("threatLevel"));
        assertEquals("NONE", a.getString("ccdmType"));
        assertEquals(List.of(), a.getList("indicators"));
        alice.req().get("/api/v1/orbital/ccdm/339001").then().statusCode(404).contentType("application/problem+json");
        alice.req().get("/api/v1/orbital/ccdm/abc").then().statusCode(400).body("errors[0].field",
                org.hamcrest.Matchers.equalTo("noradId"));
    }
}
