package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * Issue 15: the shared catalog is written by platform admins (and the topic); a tenant publisher's element sets and
 * objects are its private overlay, which every read of that tenant merges with the shared catalog and nobody else
 * sees; withdrawal; future epochs.
 */
@QuarkusTest
class TenancyTest {

    static Burns burns;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private final Api alice = Api.publisher(TestClient.newTenant());
    private final Api bob = Api.publisher(TestClient.newTenant());
    private final Api ops = new Api(TestClient.newTenant(), "ops", "platform-admin");

    @BeforeAll
    static void orekit() {
        burns = new Burns(OrekitData.bundled());
    }

    /** A 500 km, 97.4° orbit under this catalog number, epoch 2026-11-01. */
    private static TLE leo(int norad) {
        String sat = String.format("%05d", norad);
        return burns.tle("1 " + sat + "U 26001A   26305.00000000  .00000500  00000-0  25000-4 0  9990",
                "2 " + sat + "  97.4000 " + String.format("%8.4f", (norad % 360) * 1.0)
                        + " 0010000  90.0000 270.0000 15.20000000    12");
    }

    private static String text(String name, TLE... tles) {
        StringBuilder b = new StringBuilder();
        for (TLE t : tles) {
            b.append(name).append('\n').append(t.getLine1()).append('\n').append(t.getLine2()).append('\n');
        }
        return b.toString();
    }

    private static JsonPath ok(io.restassured.response.Response r) {
        return r.then().statusCode(200).extract().jsonPath();
    }

    /** An object-listing cursor that starts the page just before {@code norad}. */
    private static String cursorBefore(int norad) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("objects|" + (norad - 1))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonPath object(Api who, int norad) {
        return ok(who.req().get("/api/v1/orbital/objects/" + norad));
    }

    @Test
    void aTenantsElementSetsAndObjectsAreInvisibleToOtherTenants() {
        int norad = Api.newNorad();
        JsonPath ingest = ok(alice.upload("text/plain", Api.Tles.threeLe("ANALYST OBJECT", norad, "24100.00000000")));
        assertEquals("tenant", ingest.getString("scope"));
        assertEquals("tenant", ingest.getString("elementSets[0].scope"));
        assertTrue(ingest.getBoolean("elementSets[0].current"));
        String id = ingest.getString("elementSets[0].id");

        JsonPath mine = object(alice, norad);
        assertEquals("tenant", mine.getString("scope"));
        assertEquals("ANALYST OBJECT", mine.getString("name"));
        assertEquals(id, mine.getString("currentElementSet.id"));
        assertEquals("tenant", mine.getString("currentElementSet.scope"));

        // another tenant: 404 everywhere, absent from lists
        bob.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(404);
        bob.req().get("/api/v1/orbital/objects/" + norad + "/element-sets").then().statusCode(404);
        bob.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers").then().statusCode(404);
        bob.req().get("/api/v1/orbital/element-sets/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        bob.req().get("/api/v1/orbital/ccdm/" + norad).then().statusCode(404);
        bob.req().body(Map.of("noradId", norad, "minutesSinceEpoch", List.of(0))).post("/api/v1/orbital/propagate")
                .then().statusCode(404);
        bob.req().body(Map.of("elementSetId", id, "minutesSinceEpoch", List.of(0))).post("/api/v1/orbital/propagate")
                .then().statusCode(404);
        bob.req().body(Map.of("objects", List.of(Map.of("noradId", norad), Map.of("elementSetId", id)),
                "minutesSinceEpoch", List.of(0))).post("/api/v1/orbital/propagate/batch").then().statusCode(200)
                .body("results[0].problem.status", equalTo(404)).body("results[1].problem.status", equalTo(404));
        bob.req().put("/api/v1/orbital/protected-assets/" + norad).then().statusCode(404);
        bob.req().body(Map.of("primaries", List.of(norad), "windowDays", 0.1)).post("/api/v1/orbital/screenings")
                .then().statusCode(400).body("errors[0].field", equalTo("primaries"));
        List<Integer> bobSees = ok(bob.req().queryParam("q", "ANALYST OBJECT").queryParam("limit", 1000)
                .get("/api/v1/orbital/objects")).getList("items.noradId");
        assertFalse(bobSees.contains(norad), "another tenant's overlay object is not listed");
        assertTrue(ok(alice.req().queryParam("q", "ANALYST OBJECT").queryParam("limit", 1000)
                .get("/api/v1/orbital/objects")).getList("items.noradId").contains(norad));
        assertFalse(ok(bob.req().queryParam("limit", 1000).queryParam("cursor", cursorBefore(norad))
                .get("/api/v1/orbital/objects")).getList("items.noradId").contains(norad));

        // its own reads use it: propagation by NORAD id, CCDM, protected assets
        assertEquals(id, ok(alice.req().body(Map.of("noradId", norad, "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate")).getString("elementSetId"));
        assertEquals(norad, ok(alice.req().get("/api/v1/orbital/ccdm/" + norad)).getInt("noradId"));
        new Api(alice.tenant(), "b", "builder").req().put("/api/v1/orbital/protected-assets/" + norad).then()
                .statusCode(201);
        // a platform admin (of another tenant) may read it by id, to withdraw or publish it
        ops.req().get("/api/v1/orbital/element-sets/" + id).then().statusCode(200)
                .body("ingestedBy.tenant", equalTo(alice.tenant()));
    }

    @Test
    void aTenantsIngestNeverChangesTheSharedOrAnotherTenantsCurrentElementSet() {
        int norad = Api.newNorad();
        JsonPath shared = ok(ops.upload("text/plain", Api.Tles.threeLe("ISS TEST", norad, "24200.00000000")));
        assertEquals("shared", shared.getString("elementSets[0].scope"));
        String sharedId = shared.getString("elementSets[0].id");

        // a newer epoch from alice: current for alice only
        JsonPath newer = ok(alice.upload("text/plain", Api.Tles.threeLe("RENAMED", norad, "24202.00000000")));
        assertTrue(newer.getBoolean("elementSets[0].current"));
        String aliceId = newer.getString("elementSets[0].id");
        assertEquals(aliceId, object(alice, norad).getString("currentElementSet.id"));
        assertEquals(sharedId, object(bob, norad).getString("currentElementSet.id"));
        assertEquals(sharedId, object(ops, norad).getString("currentElementSet.id"));
        assertEquals("ISS TEST", object(bob, norad).getString("name"), "a tenant's name line is not the shared name");
        assertEquals("shared", object(bob, norad).getString("scope"));
        assertEquals(1, object(bob, norad).getInt("elementSetCount"));
        assertEquals(2, object(alice, norad).getInt("elementSetCount"));

        // the same epoch as the shared one: stored in bob's overlay, neither blocks nor shadows the other
        JsonPath same = ok(bob.upload("text/plain", Api.Tles.threeLe("ISS TEST", norad, "24200.00000000")));
        assertTrue(same.getBoolean("elementSets[0].stored"));
        assertNotEquals(sharedId, same.getString("elementSets[0].id"));
        assertFalse(same.getBoolean("elementSets[0].current"), "on a tie the shared element set stays current");
        assertEquals(aliceId, object(alice, norad).getString("currentElementSet.id"));
        List<String> bobHistory = ok(bob.req().get("/api/v1/orbital/objects/" + norad + "/element-sets"))
                .getList("items.id");
        assertEquals(2, bobHistory.size());
        assertFalse(bobHistory.contains(aliceId));

        // the shared catalog is written by platform admins: a re-upload by the admin is a duplicate
        JsonPath again = ok(ops.upload("text/plain", Api.Tles.threeLe("ISS TEST", norad, "24200.00000000")));
        assertFalse(again.getBoolean("elementSets[0].stored"));
        assertEquals(sharedId, again.getString("elementSets[0].id"));
    }

    @Test
    void describingASharedObjectNeedsAPlatformAdminAndAnOverlayObjectStaysPrivate() {
        int shared = Api.newNorad();
        int own = Api.newNorad();
        ok(ops.upload("text/plain", Api.Tles.threeLe("SHARED SAT", shared, "24210.00000000")));
        ok(alice.upload("text/plain", Api.Tles.threeLe("MY SAT", own, "24210.00000000")));

        alice.req().body(Map.of("name", "HIJACKED", "owner", "EVIL")).patch("/api/v1/orbital/objects/" + shared).then()
                .statusCode(403).contentType("application/problem+json");
        assertEquals("SHARED SAT", object(bob, shared).getString("name"));
        ok(ops.req().body(Map.of("name", "SHARED SAT 2", "owner", "ESA")).patch("/api/v1/orbital/objects/" + shared));
        assertEquals("SHARED SAT 2", object(bob, shared).getString("name"));
        assertEquals("ESA", object(alice, shared).getString("owner"));

        JsonPath described = ok(alice.req().body(Map.of("name", "MY SAT RENAMED", "objectType", "PAYLOAD"))
                .patch("/api/v1/orbital/objects/" + own));
        assertEquals("MY SAT RENAMED", described.getString("name"));
        assertEquals("PAYLOAD", described.getString("objectType"));
        bob.req().body(Map.of("name", "X")).patch("/api/v1/orbital/objects/" + own).then().statusCode(404);
        Api.viewer(alice.tenant()).req().body(Map.of("name", "X")).patch("/api/v1/orbital/objects/" + own).then()
                .statusCode(403);
    }

    @Test
    void futureEpochsAreRefusedNamingTheElementSet() {
        int norad = Api.newNorad();
        java.time.ZonedDateTime later = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusDays(10);
        String epoch = String.format("%02d%03d.50000000", later.getYear() % 100, later.getDayOfYear());
        String fine = Api.Tles.threeLe("OK", norad, "24001.00000000");
        alice.upload("text/plain", fine + Api.Tles.threeLe("FUTURE", norad, epoch)).then().statusCode(400)
                .body("errors[0].field", equalTo("line 5: epoch"));
        ops.upload("text/plain", Api.Tles.threeLe("FUTURE", norad, epoch)).then().statusCode(400)
                .body("errors[0].field", equalTo("line 2: epoch"));
        alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(404);
        String kvn = Api.kvn("FUTURE OMM", norad, later.toLocalDateTime().toString(), "0.0001");
        alice.upload("text/plain", kvn).then().statusCode(400).body("errors[0].field", equalTo("line 4: EPOCH"));
        // a day ahead is within the margin (3 days)
        java.time.ZonedDateTime soon = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusDays(1);
        ok(alice.upload("text/plain", Api.Tles.threeLe("SOON", norad,
                String.format("%02d%03d.00000000", soon.getYear() % 100, soon.getDayOfYear()))));
    }

    @Test
    void withdrawingAnElementSetRecomputesCurrentSupersedesItsManeuversAndIsAnnounced() {
        int norad = Api.newNorad();
        TLE before = leo(norad);
        TLE after = burns.afterBurn(before, 86400, 0, 10, 0, 43200);
        JsonPath shared = ok(ops.upload("text/plain", text("SHARED LEO", before, after)));
        String beforeId = shared.getString("elementSets[0].id");
        String afterId = shared.getString("elementSets[1].id");
        JsonPath maneuvers = ok(bob.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers"));
        assertEquals(1, maneuvers.getList("items").size(), "a shared maneuver everyone sees");
        assertEquals("shared", maneuvers.getString("items[0].scope"));
        String maneuverId = maneuvers.getString("items[0].id");

        // only a platform admin withdraws a shared element set
        alice.req().body(Map.of("reason", "looks wrong")).post("/api/v1/orbital/element-sets/" + afterId + "/withdraw")
                .then().statusCode(403);
        ops.req().body(Map.of()).post("/api/v1/orbital/element-sets/" + afterId + "/withdraw").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        JsonPath withdrawn = ok(ops.req().body(Map.of("reason", "bad fit from source X"))
                .post("/api/v1/orbital/element-sets/" + afterId + "/withdraw"));
        assertEquals("bad fit from source X", withdrawn.getString("withdrawn.reason"));
        assertEquals(ops.tenant(), withdrawn.getString("withdrawn.by.tenant"));
        ops.req().body(Map.of("reason", "again")).post("/api/v1/orbital/element-sets/" + afterId + "/withdraw").then()
                .statusCode(409);

        // no longer current for anyone; kept (flagged) in the history; its maneuver superseded and announced
        assertEquals(beforeId, object(bob, norad).getString("currentElementSet.id"));
        assertEquals(beforeId, object(alice, norad).getString("currentElementSet.id"));
        JsonPath history = ok(bob.req().get("/api/v1/orbital/objects/" + norad + "/element-sets"));
        assertEquals(List.of(beforeId, afterId), history.getList("items.id"));
        assertEquals("bad fit from source X", history.getString("items[1].withdrawn.reason"));
        assertEquals((Object) null, history.get("items[1].withdrawn.by"), "who withdrew it is for the owner and admins");
        bob.req().get("/api/v1/orbital/element-sets/" + afterId).then().statusCode(200)
                .body("withdrawn.at", not(nullValue()));
        assertEquals(List.of(), ok(bob.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers")).getList("items"));
        List<ConsumerRecord<String, String>> superseded = TopicReader.await(Topics.ORBITAL_MANEUVERS_V1,
                r -> r.value().contains(maneuverId) && r.value().contains("maneuver.superseded"), 1,
                Duration.ofSeconds(20));
        assertEquals(1, superseded.size());
        List<ConsumerRecord<String, String>> announced = TopicReader.await(Topics.ORBITAL_CATALOG_V1,
                r -> r.value().contains("element-set.withdrawn") && r.value().contains(afterId), 1,
                Duration.ofSeconds(20));
        JsonPath event = new JsonPath(announced.getFirst().value());
        assertEquals("/services/orbital", event.getString("source"));
        assertEquals(afterId, event.getString("data.elementSetId"));
        assertFalse(event.getBoolean("data.current"));

        // a corrected element set at the same epoch can be stored again
        assertTrue(ok(ops.upload("text/plain", text("SHARED LEO", after))).getBoolean("elementSets[0].stored"));
    }

    @Test
    void theHistoryStaysAppendOnlyButForOneWithdrawal() {
        int norad = Api.newNorad();
        String id = ok(alice.upload("text/plain", Api.Tles.threeLe("AUDIT", norad, "24240.00000000")))
                .getString("elementSets[0].id");
        java.util.UUID uuid = java.util.UUID.fromString(id);
        List<String> refused = List.of(
                "UPDATE element_set SET line1 = 'changed' WHERE id = $1",
                "UPDATE element_set SET overlay_tenant = NULL WHERE id = $1",
                "DELETE FROM element_set WHERE id = $1");
        for (String sql : refused) {
            assertThrowsImmutable(sql, uuid);
        }
        ok(alice.req().body(Map.of("reason", "first")).post("/api/v1/orbital/element-sets/" + id + "/withdraw"));
        // a withdrawal is final: its reason, time and author cannot be rewritten, nor can it be undone
        assertThrowsImmutable("UPDATE element_set SET withdrawn_reason = 'rewritten' WHERE id = $1", uuid);
        assertThrowsImmutable("UPDATE element_set SET withdrawn_at = NULL, withdrawn_by = NULL, withdrawn_by_tenant = NULL,"
                + " withdrawn_reason = NULL WHERE id = $1", uuid);
        assertEquals("first", ok(alice.req().get("/api/v1/orbital/element-sets/" + id)).getString("withdrawn.reason"));
    }

    private void assertThrowsImmutable(String sql, java.util.UUID id) {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> pool.preparedQuery(sql)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().indefinitely(), sql);
        assertTrue(String.valueOf(e.getMessage()).contains("immutable"), sql + ": " + e.getMessage());
    }

    @Test
    void aTenantWithdrawsItsOwnElementSetsOnlyAndOthersGet404() {
        int norad = Api.newNorad();
        String sharedId = ok(ops.upload("text/plain", Api.Tles.threeLe("S", norad, "24220.00000000")))
                .getString("elementSets[0].id");
        String mineId = ok(alice.upload("text/plain", Api.Tles.threeLe("S", norad, "24221.00000000")))
                .getString("elementSets[0].id");
        bob.req().body(Map.of("reason", "x")).post("/api/v1/orbital/element-sets/" + mineId + "/withdraw").then()
                .statusCode(404);
        Api.viewer(alice.tenant()).req().body(Map.of("reason", "x"))
                .post("/api/v1/orbital/element-sets/" + mineId + "/withdraw").then().statusCode(403);
        assertEquals(mineId, object(alice, norad).getString("currentElementSet.id"));
        ok(alice.req().body(Map.of("reason", "my mistake")).post("/api/v1/orbital/element-sets/" + mineId + "/withdraw"))
                .getString("withdrawn.at");
        assertEquals(sharedId, object(alice, norad).getString("currentElementSet.id"));
        alice.req().body(Map.of("reason", "again")).post("/api/v1/orbital/element-sets/" + mineId + "/withdraw").then()
                .statusCode(409);
        List<ConsumerRecord<String, String>> announced = TopicReader.await(Topics.ORBITAL_CATALOG_V1,
                r -> r.value().contains("element-set.withdrawn") && r.value().contains(mineId), 1,
                Duration.ofSeconds(20));
        assertEquals("/services/orbital/tenants/" + alice.tenant(),
                new JsonPath(announced.getFirst().value()).getString("source"));
    }

    @Test
    void maneuversFromATenantsElementSetsAreThatTenantsAlone() {
        int norad = Api.newNorad();
        TLE before = leo(norad);
        TLE after = burns.afterBurn(before, 86400, 0, 10, 0, 43200);
        ok(ops.upload("text/plain", text("SAT", before)));
        String afterId = ok(alice.upload("text/plain", text("SAT", after))).getString("elementSets[0].id");

        JsonPath mine = ok(alice.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers"));
        assertEquals(1, mine.getList("items").size(), mine.prettify());
        assertEquals("tenant", mine.getString("items[0].scope"));
        assertEquals(afterId, mine.getString("items[0].afterElementSetId"));
        String id = mine.getString("items[0].id");
        assertEquals(List.of(), ok(bob.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers")).getList("items"));
        bob.req().get("/api/v1/orbital/maneuvers?since=2026-11-01T00:00:00Z&limit=1000").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        alice.req().get("/api/v1/orbital/maneuvers?since=2026-11-01T00:00:00Z&limit=1000").then().statusCode(200)
                .body("items.id", hasItem(id));

        List<ConsumerRecord<String, String>> events = TopicReader.await(Topics.ORBITAL_MANEUVERS_V1,
                r -> r.value().contains(id), 1, Duration.ofSeconds(20));
        JsonPath event = new JsonPath(events.getFirst().value());
        assertEquals("/services/orbital/tenants/" + alice.tenant(), event.getString("source"));
        assertEquals(alice.tenant(), event.getString("data.tenant"));
        assertEquals(alice.tenant(), events.getFirst().key());

        // CCDM for alice sees her maneuver (a private assessment); for bob the object is quiet
        JsonPath aliceCcdm = ok(alice.req().get("/api/v1/orbital/ccdm/" + norad));
        assertEquals(1, aliceCcdm.getInt("basis.maneuvers"));
        assertEquals(2, aliceCcdm.getInt("basis.elementSets"));
        JsonPath bobCcdm = ok(bob.req().get("/api/v1/orbital/ccdm/" + norad));
        assertEquals(0, bobCcdm.getInt("basis.maneuvers"));
        assertEquals(1, bobCcdm.getInt("basis.elementSets"));
        List<ConsumerRecord<String, String>> ccdm = TopicReader.await(Topics.ORBITAL_CCDM_V1,
                r -> r.value().contains("\"noradId\":" + norad + ","), 2, Duration.ofSeconds(20));
        assertTrue(ccdm.stream().anyMatch(r -> new JsonPath(r.value()).getString("source")
                .equals("/services/orbital/tenants/" + alice.tenant())), "alice's assessment is hers");
        assertTrue(ccdm.stream().noneMatch(r -> r.value().contains("UNEXPECTED_MANEUVER")
                && new JsonPath(r.value()).getString("source").equals("/services/orbital")),
                "no shared assessment carries alice's maneuver");

        // a shared element set landing inside alice's pair supersedes her maneuver (in her view the pair is split)
        TLE middle = burns.afterBurn(before, 43200, 0, 0, 0, 43200);
        ok(ops.upload("text/plain", text("SAT", middle)));
        assertFalse(ok(alice.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers")).getList("items.id")
                .contains(id), "split by the shared element set in alice's view");
    }

    /** Screens {@code primary} as {@code who} near the LEO epoch; the NORAD ids of the secondaries found. */
    private static List<Integer> secondaries(Api who, int primary) throws InterruptedException {
        io.restassured.response.Response r = who.req().body(Map.of("primaries", List.of(primary),
                "windowStart", "2026-11-01T00:00:00Z", "windowDays", 0.1, "thresholdKm", 10))
                .post("/api/v1/orbital/screenings");
        r.then().statusCode(202);
        String location = r.getHeader("Location");
        Screenings.awaitStatus(who, location.substring(location.indexOf("/api/v1")), "done", Duration.ofSeconds(120));
        return ok(who.req().get(location.substring(location.indexOf("/api/v1")) + "/conjunctions?limit=1000"))
                .getList("items.secondary.noradId");
    }

    @Test
    void screeningsScreenTheSharedCatalogWithTheTenantsOwnOverlay() throws InterruptedException {
        int sharedNorad = Api.newNorad();
        int mineNorad = Api.newNorad();
        TLE shared = leo(sharedNorad);
        // the same orbit with the plane turned 0.5°: both pass the polar region together, ~8 km apart
        String l2 = shared.getLine2();
        double raan = Double.parseDouble(l2.substring(17, 25).trim()) + 0.5;
        TLE mine = burns.tle(shared.getLine1().substring(0, 2) + String.format("%05d", mineNorad)
                + shared.getLine1().substring(7, 68) + "0",
                l2.substring(0, 2) + String.format("%05d", mineNorad)
                        + l2.substring(7, 17) + String.format("%8.4f", raan) + l2.substring(25, 68) + "0");
        ok(ops.upload("text/plain", text("SHARED SAT", shared)));
        ok(alice.upload("text/plain", text("MY SAT", mine)));
        assertTrue(secondaries(alice, sharedNorad).contains(mineNorad), "alice's screening holds her own object");
        assertFalse(secondaries(bob, sharedNorad).contains(mineNorad), "bob's does not");
    }

    @Test
    void aPlatformAdminPublishesATenantsElementSetToTheSharedCatalog() {
        int norad = Api.newNorad();
        String mineId = ok(alice.upload("text/plain", Api.Tles.threeLe("FOUND IT", norad, "24230.00000000")))
                .getString("elementSets[0].id");
        alice.req().post("/api/v1/orbital/element-sets/" + mineId + "/publish").then().statusCode(403);
        bob.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(404);
        JsonPath published = ok(ops.req().post("/api/v1/orbital/element-sets/" + mineId + "/publish"));
        assertEquals("shared", published.getString("scope"));
        String copy = published.getString("id");
        assertEquals(copy, object(bob, norad).getString("currentElementSet.id"));
        ops.req().get("/api/v1/orbital/element-sets/" + copy).then().statusCode(200)
                .body("ingestedBy.tenant", equalTo(alice.tenant())).body("publishedFrom", equalTo(mineId));
        ops.req().post("/api/v1/orbital/element-sets/" + mineId + "/publish").then().statusCode(409);
    }
}
