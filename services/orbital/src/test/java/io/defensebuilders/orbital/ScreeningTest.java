package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orekit.data.DataSource;
import org.orekit.files.ccsds.ndm.ParserBuilder;
import org.orekit.files.ccsds.ndm.cdm.Cdm;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.time.AbsoluteDate;

import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.orbital.screening.Screener;
import io.defensebuilders.orbital.screening.SyntheticCatalog;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Screening jobs over REST: async run, results as JSON pages and CSV, tenancy, bad input. */
@QuarkusTest
class ScreeningTest {

    static final int FIRST_ID = 90_000;
    static final int OBJECTS = 100;
    static final String START = "2026-11-01T00:00:00Z";

    static List<SyntheticCatalog.Entry> entries;
    static Set<String> expectedPairs;
    static boolean uploaded;

    final String tenant = TestClient.newTenant();
    final Api builder = new Api(tenant, "builder-" + tenant, "builder");

    @BeforeAll
    static void catalog() {
        OrekitData orekit = OrekitData.bundled();
        AbsoluteDate start = new AbsoluteDate(2026, 11, 1, 0, 0, 0.0, orekit.utc());
        entries = SyntheticCatalog.generate(OBJECTS, 11, start, orekit.utc(), FIRST_ID);
        List<Screener.Target> targets = entries.stream()
                .map(e -> new Screener.Target(e.noradId(), new TLE(e.line1(), e.line2(), orekit.utc()))).toList();
        expectedPairs = new Screener(orekit.teme()).screen(targets, null, start, Screener.Options.of(2 * 86400, 5), null)
                .conjunctions().stream().map(c -> pair(c.primary(), c.secondary())).collect(Collectors.toSet());
    }

    static String pair(int a, int b) {
        return Math.min(a, b) + "-" + Math.max(a, b);
    }

    static synchronized void upload() {
        if (uploaded) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (SyntheticCatalog.Entry e : entries) {
            text.append(e.name()).append('\n').append(e.line1()).append('\n').append(e.line2()).append('\n');
        }
        // the shared catalog (a platform admin's upload), which every tenant's screening screens
        new Api(TestClient.newTenant(), "ops", "platform-admin").upload("text/plain", text.toString()).then().statusCode(200);
        uploaded = true;
    }

    static List<Integer> primaries() {
        return entries.stream().map(SyntheticCatalog.Entry::noradId).toList();
    }

    String create(Api api, Object body) {
        Response r = api.req().body(body).post("/api/v1/orbital/screenings");
        r.then().statusCode(202).body("status", equalTo("queued"));
        String location = r.getHeader("Location");
        assertNotNull(location);
        return location.substring(location.indexOf("/api/v1"));
    }

    @Test
    void aScreeningRunsAsynchronouslyAndFindsTheCloseApproaches() throws InterruptedException {
        assertFalse(expectedPairs.isEmpty(), "the synthetic catalog has close pairs");
        upload();
        String location = create(builder, Map.of("primaries", primaries(), "windowStart", START, "windowDays", 2,
                "thresholdKm", 5));
        JsonPath s = Screenings.awaitStatus(builder, location, "done", Duration.ofSeconds(90));
        assertEquals(100, s.getInt("progress"));
        int count = s.getInt("conjunctionCount");
        assertTrue(count >= expectedPairs.size(), "conjunctions: " + count);

        // every page by miss distance, one at a time through the cursor
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = builder.req().queryParam("sort", "miss").queryParam("limit", 3)
                    .queryParam("cursor", cursor == null ? "" : cursor).get(location + "/conjunctions").then()
                    .statusCode(200).extract().jsonPath();
            all.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(count, all.size());
        Set<String> found = new HashSet<>();
        double previous = -1;
        for (Map<String, Object> c : all) {
            double miss = ((Number) c.get("missDistanceKm")).doubleValue();
            assertTrue(miss >= previous && miss <= 5.0);
            previous = miss;
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) c.get("primary");
            @SuppressWarnings("unchecked")
            Map<String, Object> q = (Map<String, Object>) c.get("secondary");
            assertNotNull(p.get("name"));
            assertNotNull(c.get("tca"));
            double r = ((Number) c.get("radialKm")).doubleValue();
            double t = ((Number) c.get("inTrackKm")).doubleValue();
            double n = ((Number) c.get("crossTrackKm")).doubleValue();
            assertEquals(miss, Math.sqrt(r * r + t * t + n * n), 1e-6);
            double pc = ((Number) c.get("probability")).doubleValue();
            assertTrue(pc >= 0 && pc <= 1);
            found.add(pair((Integer) p.get("noradId"), (Integer) q.get("noradId")));
        }
        assertTrue(found.containsAll(expectedPairs), "found " + found + ", expected " + expectedPairs);

        // by Pc, highest first
        List<Double> pcs = builder.req().queryParam("sort", "pc").queryParam("limit", 1000)
                .get(location + "/conjunctions").then().statusCode(200).extract().jsonPath()
                .getList("items.probability", Double.class);
        for (int i = 1; i < pcs.size(); i++) {
            assertTrue(pcs.get(i) <= pcs.get(i - 1));
        }

        // SOCRATES-style CSV
        String csv = builder.req().accept("text/csv").queryParam("sort", "miss").get(location + "/conjunctions")
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(count + 1, lines.length);
        assertEquals("NORAD_CAT_ID_1,OBJECT_NAME_1,DSE_1,NORAD_CAT_ID_2,OBJECT_NAME_2,DSE_2,TCA,TCA_RANGE,"
                + "TCA_RELATIVE_SPEED,MAX_PROB,RADIAL,IN_TRACK,CROSS_TRACK,CONJUNCTION_ID", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            assertEquals(14, f.length, lines[i]);
            assertEquals(all.get(i - 1).get("id"), f[13]);
            assertEquals(((Number) all.get(i - 1).get("missDistanceKm")).doubleValue(), Double.parseDouble(f[7]), 6e-4);
        }

        // a CDM, written by Orekit, reads back with Orekit's parser
        Map<String, Object> first = all.get(0);
        String cdmText = builder.req().get(location + "/conjunctions/" + first.get("id") + "/cdm").then()
                .statusCode(200).extract().asString();
        OrekitData orekit = OrekitData.bundled();
        io.defensebuilders.orbital.screening.CdmFiles.registerEarth(orekit.context());
        Cdm cdm = new ParserBuilder(orekit.context()).buildCdmParser()
                .parseMessage(new DataSource("cdm.txt", () -> new java.io.StringReader(cdmText)));
        assertEquals(((Number) first.get("missDistanceKm")).doubleValue() * 1000,
                cdm.getRelativeMetadata().getMissDistance(), 1.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> firstPrimary = (Map<String, Object>) first.get("primary");
        assertEquals(String.format("%05d", (Integer) firstPrimary.get("noradId")),
                cdm.getMetadataObject1().getObjectDesignator());
        assertEquals(first.get("tca"), cdm.getRelativeMetadata().getTca().toString(orekit.utc()).substring(0, 23) + "Z");
        double r = cdm.getDataObject1().getStateVectorBlock().getPositionVector().getNorm();
        assertTrue(r > 6_400_000 && r < 50_000_000, "GCRF position, m: " + r);
        assertTrue(cdm.getDataObject2().getRTNCovarianceBlock().getCrr() > 0);
        other_cdm_404: {
            new Api(TestClient.newTenant(), "x", "admin").req().get(location + "/conjunctions/" + first.get("id") + "/cdm")
                    .then().statusCode(404);
        }

        // one orbital.conjunctions.v1 event per conjunction, through the outbox
        String screeningId = s.getString("id");
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> events = io.defensebuilders.testing.kafka.TopicReader
                .await(
                        io.defensebuilders.contracts.events.Topics.ORBITAL_CONJUNCTIONS_V1,
                        rec -> rec.value().contains(screeningId), count, java.time.Duration.ofSeconds(20));
        assertEquals(count, events.size());
        Set<Object> ids = all.stream().map(c -> c.get("id")).collect(Collectors.toSet());
        for (var rec : events) {
            assertEquals(tenant, rec.key());
            assertTrue(rec.value().contains("io.defensebuilders.orbital.v1.conjunction.found"));
            assertTrue(ids.stream().anyMatch(id -> rec.value().contains("\"conjunctionId\":\"" + id + "\"")));
        }

        // another tenant sees nothing of it
        Api other = new Api(TestClient.newTenant(), "other", "admin");
        other.req().get(location).then().statusCode(404).contentType("application/problem+json");
        other.req().get(location + "/conjunctions").then().statusCode(404);
        other.req().accept("text/csv").get(location + "/conjunctions").then().statusCode(404);
        // a viewer of the owning tenant reads it
        new Api(tenant, "v", "viewer").req().get(location).then().statusCode(200);
    }

    @Test
    void creatingNeedsTheBuilderRole() {
        Api.viewer(tenant).req().body(Map.of("windowDays", 1)).post("/api/v1/orbital/screenings").then()
                .statusCode(403).contentType("application/problem+json");
    }

    @Test
    void badInputIsA400Problem() {
        upload();
        String url = "/api/v1/orbital/screenings";
        builder.req().body(Map.of("windowDays", 30)).post(url).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("windowDays"));
        builder.req().body(Map.of("windowDays", 0)).post(url).then().statusCode(400)
                .body("errors[0].field", equalTo("windowDays"));
        builder.req().body(Map.of("thresholdKm", 51)).post(url).then().statusCode(400)
                .body("errors[0].field", equalTo("thresholdKm"));
        builder.req().body(Map.of("thresholdKm", -1)).post(url).then().statusCode(400)
                .body("errors[0].field", equalTo("thresholdKm"));
        builder.req().body(Map.of("primaries", List.of(FIRST_ID, 339_998))).post(url).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("primaries"))
                .body("unknown", equalTo(List.of(339_998)));
        builder.req().body(Map.of("primaries", List.of(0))).post(url).then().statusCode(400)
                .body("errors[0].field", equalTo("primaries[0]"));
        builder.req().body(Map.of("primaries", List.of())).post(url).then().statusCode(400);
        builder.req().body("{\"windowDays\": ").post(url).then().statusCode(400)
                .contentType("application/problem+json");
        builder.req().body("{\"windowDays\": \"many\"}").post(url).then().statusCode(400)
                .contentType("application/problem+json");
        builder.req().get(url + "/" + java.util.UUID.randomUUID()).then().statusCode(404);
        builder.req().get(url + "/not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("id"));
    }
}
