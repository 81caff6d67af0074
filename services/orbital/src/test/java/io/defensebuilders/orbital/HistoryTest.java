package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Every element set is kept per NORAD id; the newest epoch is current, whatever order they arrive in. */
@QuarkusTest
class HistoryTest {

    private final Api alice = Api.publisher(TestClient.newTenant());

    private JsonPath upload(String text) {
        return alice.upload("text/plain", text).then().statusCode(200).extract().jsonPath();
    }

    private JsonPath history(int norad, String query) {
        return alice.req().get("/api/v1/orbital/objects/" + norad + "/element-sets" + query).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void theNewestEpochIsCurrentWhateverOrderElementSetsArriveIn() {
        int norad = Api.newNorad();
        JsonPath middle = upload(Api.Tles.threeLe("OBJ", norad, "24010.50000000"));
        assertTrue(middle.getBoolean("elementSets[0].current"));
        JsonPath newest = upload(Api.Tles.threeLe("OBJ", norad, "24020.50000000"));
        assertTrue(newest.getBoolean("elementSets[0].current"));
        JsonPath oldest = upload(Api.Tles.threeLe("OBJ", norad, "24001.50000000"));
        assertTrue(oldest.getBoolean("elementSets[0].stored"));
        assertFalse(oldest.getBoolean("elementSets[0].current"), "an older element set joins the history only");

        JsonPath object = alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(200).extract().jsonPath();
        assertEquals("2024-01-20T12:00:00Z", object.getString("currentElementSet.epoch"));
        assertEquals(newest.getString("elementSets[0].id"), object.getString("currentElementSet.id"));
        assertEquals(3, object.getInt("elementSetCount"));

        assertEquals(List.of("2024-01-01T12:00:00Z", "2024-01-10T12:00:00Z", "2024-01-20T12:00:00Z"),
                history(norad, "").getList("items.epoch"));
        assertEquals(List.of("2024-01-20T12:00:00Z", "2024-01-10T12:00:00Z", "2024-01-01T12:00:00Z"),
                history(norad, "?order=desc").getList("items.epoch"));
        assertEquals(List.of("2024-01-10T12:00:00Z"),
                history(norad, "?from=2024-01-05T00:00:00Z&to=2024-01-20T12:00:00Z").getList("items.epoch"));
    }

    @Test
    void oneUploadWithSeveralEpochsOfOneObjectKeepsThemAll() {
        int norad = Api.newNorad();
        JsonPath result = upload(Api.Tles.threeLe("A", norad, "24003.00000000") + Api.Tles.threeLe("A", norad, "24005.00000000")
                + Api.Tles.threeLe("A", norad, "24004.00000000"));
        assertEquals(List.of(false, true, false), result.getList("elementSets.current"));
        assertEquals(3, result.getInt("stored"));
    }

    @Test
    void reingestingAnElementSetStoresNothingAndAnswersTheSameId() {
        int norad = Api.newNorad();
        String text = Api.Tles.threeLe("DUP", norad, "24030.25000000");
        String id = upload(text).getString("elementSets[0].id");
        JsonPath again = alice.upload("text/plain", text + text).then().statusCode(200).extract().jsonPath();
        assertEquals(2, again.getInt("received"));
        assertEquals(0, again.getInt("stored"));
        assertEquals(2, again.getInt("duplicates"));
        assertEquals(List.of(id, id), again.getList("elementSets.id"));
        assertEquals(List.of(true, true), again.getList("elementSets.current"));
        assertEquals(1, history(norad, "").getList("items").size());
        // another tenant's copy goes to its own overlay: alice's never blocks it
        JsonPath other = Api.publisher(TestClient.newTenant()).upload("text/plain", text).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(1, other.getInt("stored"));
        assertEquals(1, history(norad, "").getList("items").size());
    }

    @Test
    void historyPagesWithKeysetCursorsInBothOrders() {
        int norad = Api.newNorad();
        StringBuilder text = new StringBuilder();
        for (int day = 1; day <= 7; day++) {
            text.append(Api.Tles.threeLe("PAGED", norad, String.format("24%03d.00000000", day)));
        }
        upload(text.toString());
        for (String order : List.of("asc", "desc")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonPath page = history(norad, "?limit=3&order=" + order + (cursor == null ? "" : "&cursor=" + cursor));
                seen.addAll(page.getList("items.epoch"));
                cursor = page.getString("nextCursor");
                pages++;
            } while (cursor != null);
            assertEquals(3, pages);
            assertEquals(7, seen.size());
            List<String> sorted = new ArrayList<>(seen);
            sorted.sort(order.equals("asc") ? null : java.util.Comparator.reverseOrder());
            assertEquals(sorted, seen, order + " order across pages");
        }
        String ascCursor = history(norad, "?limit=3").getString("nextCursor");
        alice.req().get("/api/v1/orbital/objects/" + norad + "/element-sets?order=desc&cursor=" + ascCursor).then()
                .statusCode(400).body("errors[0].field", equalTo("cursor"));
        alice.req().get("/api/v1/orbital/objects/" + norad + "/element-sets?limit=0").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        alice.req().get("/api/v1/orbital/objects/" + norad + "/element-sets?from=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        alice.req().get("/api/v1/orbital/objects/" + (norad + 200_000) + "/element-sets").then().statusCode(404);
    }

    @Test
    void objectListingPagesByNoradId() {
        int first = Api.newNorad();
        upload(Api.Tles.threeLe("LIST", first, "24001.00000000") + Api.Tles.threeLe("LIST", first + 1, "24001.00000000")
                + Api.Tles.threeLe("LIST", first + 2, "24001.00000000"));
        Api.newNorad();
        Api.newNorad();
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = alice.req().get("/api/v1/orbital/objects?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.noradId"));
            assertNotNull(page.getString("items[0].currentElementSet.tle.line1"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        assertEquals(sorted, seen);
        assertTrue(seen.containsAll(List.of(first, first + 1, first + 2)));
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no object twice");
        alice.req().get("/api/v1/orbital/objects?cursor=bm9wZQ").then().statusCode(400);
        alice.req().get("/api/v1/orbital/objects?objectType=BOAT").then().statusCode(400)
                .body("errors[0].field", equalTo("objectType"));
    }

    @Test
    void everyTenantReadsTheSharedCatalogButOnlyTheIngestingTenantSeesWhoIngested() {
        int norad = Api.newNorad();
        Api ops = new Api(TestClient.newTenant(), "ops", "platform-admin");
        String id = ops.upload("text/plain", Api.Tles.threeLe("SHARED", norad, "24040.00000000")).then().statusCode(200)
                .extract().jsonPath().getString("elementSets[0].id");
        ops.req().get("/api/v1/orbital/element-sets/" + id).then().statusCode(200)
                .body("ingestedBy.tenant", equalTo(ops.tenant())).body("ingestedBy.subject", equalTo(ops.subject()));
        Api bob = Api.viewer(TestClient.newTenant());
        bob.req().get("/api/v1/orbital/element-sets/" + id).then().statusCode(200)
                .body("noradId", equalTo(norad)).body("ingestedBy", nullValue());
        JsonPath seenByBob = bob.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(200).extract().jsonPath();
        assertNull(seenByBob.get("currentElementSet.ingestedBy"));
        new Api(TestClient.newTenant(), "ops2", "platform-admin").req().get("/api/v1/orbital/element-sets/" + id).then()
                .statusCode(200).body("ingestedBy.tenant", equalTo(ops.tenant()));
        bob.req().get("/api/v1/orbital/element-sets/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void catalogElementSetsPropagateByNoradIdAndById() {
        int norad = Api.newNorad();
        JsonPath stored = upload(Api.Tles.threeLe("PROP", norad, "00179.78495062")
                + Api.Tles.threeLe("PROP", norad, "00170.00000000"));
        String oldId = stored.getString("elementSets[1].id");
        JsonPath current = alice.req().body(Map.of("noradId", norad, "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate").then().statusCode(200).extract().jsonPath();
        assertEquals("2000-06-27T18:50:19.733568Z", current.getString("epoch"));
        assertEquals(stored.getString("elementSets[0].id"), current.getString("elementSetId"));
        // the same elements as Vallado's 00005: the published epoch state
        double[] r = Sgp4VerificationTest.vector(current, "states[0].position");
        assertEquals(7022.46529266, r[0], 1e-3);
        assertEquals(-1400.08296755, r[1], 1e-3);
        JsonPath old = alice.req().body(Map.of("elementSetId", oldId, "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate").then().statusCode(200).extract().jsonPath();
        assertEquals(oldId, old.getString("elementSetId"));
        assertEquals("2000-06-18T00:00:00Z", old.getString("epoch"));
        alice.req().body(Map.of("noradId", norad + 200_000, "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate").then().statusCode(404);
    }
}
