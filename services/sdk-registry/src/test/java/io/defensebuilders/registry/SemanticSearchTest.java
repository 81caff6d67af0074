package io.defensebuilders.registry;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Search by meaning: SDKs are embedded by the inference service's text embedding model (FakeInference runs the real
 * one) after they are published, and found by queries that share no word with them; within tenancy; an edit is
 * embedded again; a hung model costs one bounded wait and then searches go by words alone.
 */
@QuarkusTest
class SemanticSearchTest {

    private final Api alice = Api.publisher(TestClient.newTenant());

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private String sdk(Api owner, String name, String title, String description, String visibility) {
        String publisher = owner.createPublisher();
        owner.req().body(Map.of("name", name, "publisher", publisher, "title", title, "description", description,
                "license", "MIT", "tags", List.of(), "categories", List.of(), "visibility", visibility))
                .post("/api/v1/sdks").then().statusCode(201);
        return name;
    }

    private List<String> search(Api who, String q) {
        return who.req().queryParam("q", q).queryParam("limit", "100").get("/api/v1/sdks").then().statusCode(200)
                .extract().jsonPath().getList("items.name", String.class);
    }

    private void eventually(Runnable check) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(check::run);
    }

    @Test
    void findsAnSdkByWhatItMeansThoughNoWordIsShared() {
        String guard = sdk(alice, TestClient.unique("orbit-guard"), "Satellite collision avoidance",
                "Screens spacecraft conjunctions and plans avoidance burns", "public");
        String invoices = sdk(alice, TestClient.unique("ledger-pdf"), "Invoice rendering",
                "Turns billing records into PDF invoices for accounts payable", "public");
        String query = "warn me before two orbiting objects crash into each other";
        eventually(() -> assertTrue(search(Api.viewer(TestClient.newTenant()), query).contains(guard)));
        assertTrue(!search(alice, query).contains(invoices), "an unrelated SDK is not a meaning match");
        // the model is called as the platform, not as the searcher
        assertEquals("platform", FakeInference.lastTenant);
    }

    @Test
    void aWordMatchRanksAboveAMeaningMatch() {
        String word = "kq" + TestClient.unique("w").replace("-", "").substring(0, 8);
        String meaning = sdk(alice, TestClient.unique("rf-sense"), "Radio frequency spectrum monitoring",
                "Detects and geolocates RF emitters from passive sensors", "public");
        String words = sdk(alice, TestClient.unique("plain"), "Radio emitter " + word, "Build helpers", "public");
        String query = "radio emitter " + word;
        eventually(() -> assertTrue(search(alice, query).contains(meaning)));
        List<String> hits = search(alice, query);
        assertTrue(hits.indexOf(words) >= 0 && hits.indexOf(words) < hits.indexOf(meaning), hits.toString());
    }

    @Test
    void identifiersAreLeftToWordsAndTrigrams() {
        assertEquals("radio emitter", io.defensebuilders.registry.service.SemanticSearch
                .meaningful("Radio  emitter kq1a2b3c4d"));
        assertEquals("c2 links for f-35 and mil-std-1553", io.defensebuilders.registry.service.SemanticSearch
                .meaningful("C2 links for F-35 and MIL-STD-1553"));
        int calls = FakeInference.CALLS.get();
        search(alice, "zz" + TestClient.unique("id").replace("-", ""));
        assertEquals(calls, FakeInference.CALLS.get(), "a query of identifiers alone asks no model");
    }

    @Test
    void anotherTenantsPrivateSdkIsNotFoundByMeaning() {
        Api bob = Api.publisher(TestClient.newTenant());
        String secret = sdk(bob, TestClient.unique("hull-sonar"), "Submarine acoustic signature classification",
                "Classifies underwater vessels from passive sonar recordings", "private");
        String query = "identify ships under the sea by the sound they make";
        eventually(() -> assertTrue(search(bob, query).contains(secret)));
        alice.req().queryParam("q", query).get("/api/v1/sdks").then().statusCode(200)
                .body("items.name", not(hasItem(secret)));
    }

    @Test
    void anEditedSdkIsFoundByItsNewMeaning() {
        String name = sdk(alice, TestClient.unique("toolkit"), "Weather data toolkit",
                "Reads forecast grids for mission planning", "public");
        String query = "detect camouflaged vehicles in aerial imagery";
        eventually(() -> assertTrue(FakeInference.ROWS.get() > 0 && !search(alice, "forecast grid reader").isEmpty()));
        alice.req().body(Map.of("title", "Camouflage detection",
                "description", "Spots concealed armour in drone photographs")).patch("/api/v1/sdks/" + name).then()
                .statusCode(200);
        eventually(() -> assertTrue(search(alice, query).contains(name)));
    }

    @Test
    void aHungModelCostsOneBoundedWaitThenSearchesGoByWords() {
        String word = "hq" + TestClient.unique("w").replace("-", "").substring(0, 8);
        String name = sdk(alice, TestClient.unique("hang"), "Hang check " + word + " telemetry decoder", "", "public");
        String query = word + " telemetry decoder";
        // something is indexed (a search with nothing indexed asks no model)
        eventually(() -> assertTrue(meters.get("dbp.registry.search.semantic.indexed").gauge().value() > 0));
        FakeInference.HANG = true;
        try {
            long start = System.nanoTime();
            assertTrue(search(alice, query).contains(name));
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            int calls = FakeInference.CALLS.get();
            start = System.nanoTime();
            assertTrue(search(alice, query).contains(name));
            long secondMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(calls, FakeInference.CALLS.get(), "the cool-down asks no model");
            assertTrue(firstMs >= 400 && firstMs < 5_000, "the first search waited the timeout: " + firstMs + " ms");
            assertTrue(secondMs < firstMs, "the second did not wait: " + secondMs + " ms");
        } finally {
            FakeInference.HANG = false;
        }
    }
}
