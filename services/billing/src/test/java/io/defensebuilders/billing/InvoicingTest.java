package io.defensebuilders.billing;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.billing.service.InvoicingService;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The invoice lifecycle against the real database and broker, at chosen instants: a draft open for the grace window
 * (72h) takes late events, issue numbers it without gaps and freezes it, late usage after issue lands on the next
 * invoice as an adjustment priced at its marginal tier, and credit notes are the only correction.
 */
@QuarkusTest
class InvoicingTest {

    @Inject
    CloudEventCodec codec;

    @Inject
    InvoicingService invoicing;

    @Inject
    Pool pool;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    @Test
    void draftGraceIssueLateAdjustmentAndCreditNotes() throws Exception {
        String eventMeter = TestClient.unique("jobs");
        String meter = Api.createMeter(TestClient.unique("jobs"), eventMeter, "COUNT", null, List.of());
        String plan = TestClient.unique("plan");
        Map<String, Object> last = new HashMap<>();
        last.put("upTo", null);
        last.put("unitPrice", new BigDecimal("0.50"));
        Api.platformAdmin().req().body(Map.of("key", plan, "name", plan, "currency", "USD", "charges", List.of(
                Map.of("price", Map.of("model", "FLAT", "amount", new BigDecimal("20.00"))),
                Map.of("meter", meter, "included", 2, "price", Map.of("model", "GRADUATED", "tiers",
                        List.of(Map.of("upTo", 3, "unitPrice", new BigDecimal("1.00")), last))))))
                .post("/api/v1/billing/plans").then().statusCode(201);
        String tenant = TestClient.newTenant();
        Api admin = Api.admin(tenant);
        String sub = admin.req().body(Map.of("plan", plan, "startDate", "2026-01-01", "anchorDay", 1))
                .post("/api/v1/billing/subscriptions").then().statusCode(201).extract().path("id");

        // January: 4 events, one delivered twice
        List<CloudEvent<UsageV1>> jan = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jan.add(UsageEvents.event(tenant, eventMeter, "1", Instant.parse("2026-01-10T10:00:00Z").plusSeconds(i), Map.of()));
        }
        jan.add(jan.getFirst());
        send(jan);

        // a subscription backdated to mid-December: the run catches up with every closed period, the first prorated
        String late = TestClient.newTenant();
        Api.platformAdmin().req().body(Map.of("plan", plan, "startDate", "2025-12-17", "anchorDay", 1, "tenant", late))
                .post("/api/v1/billing/subscriptions").then().statusCode(201);

        // the period closed: a draft, unnumbered, open until 1 Feb + 72h; December's grace is long over: issued at once
        assertEquals(1, run("2026-02-01T00:10:00Z"));
        JsonPath backdated = invoices(Api.viewer(late));
        assertEquals(List.of("2026-01-01", "2025-12-01"), backdated.getList("period.start"));
        assertEquals(List.of("DRAFT", "ISSUED"), backdated.getList("status"));
        assertEquals(List.of("PRORATION_CHARGE", "USAGE"), backdated.getList("[1].lines.type"));
        money("9.68", backdated.get("[1].lines[0].amount")); // 20.00 x 15 of 31 days
        assertEquals(List.of("RECURRING", "USAGE"), backdated.getList("[0].lines.type"));
        JsonPath draft = invoices(admin);
        assertEquals(1, draft.getList("").size());
        assertEquals("DRAFT", draft.getString("[0].status"));
        assertNull(draft.get("[0].number"));
        assertEquals("2026-01-01", draft.getString("[0].period.start"));
        assertEquals("2026-02-04T00:00:00Z", draft.getString("[0].graceUntil"));
        money("22.00", draft.get("[0].total")); // 20 + (4 - 2 included) x 1.00

        // a late event inside the grace window lands on the draft
        send(List.of(UsageEvents.event(tenant, eventMeter, "1", Instant.parse("2026-01-31T23:59:00Z"), Map.of())));
        assertEquals(0, run("2026-02-03T23:59:59Z"));
        money("23.00", invoices(admin).get("[0].total"));

        // grace over: issued, numbered, frozen
        assertTrue(run("2026-02-04T00:00:00Z") >= 1);
        JsonPath issued = invoices(admin);
        String janId = issued.getString("[0].id");
        assertEquals("ISSUED", issued.getString("[0].status"));
        String janNumber = issued.getString("[0].number");
        assertTrue(janNumber.matches("INV-\\d{8}"), janNumber);
        money("23.00", issued.get("[0].total"));
        // announced on billing.v1, from the transaction that numbered it
        var announced = io.defensebuilders.testing.kafka.TopicReader.await(Topics.BILLING_V1,
                r -> r.value().contains(janId), 1, java.time.Duration.ofSeconds(15));
        assertEquals(1, announced.size());
        JsonPath event = new JsonPath(announced.getFirst().value());
        assertEquals("io.defensebuilders.billing.v1.invoice.issued", event.getString("type"));
        assertEquals(janNumber, event.getString("data.number"));
        assertEquals(tenant, event.getString("data.tenant"));
        assertEquals("2026-01-01", event.getString("data.periodStart"));
        money("23.00", event.get("data.total"));
        assertThrows(RuntimeException.class, () -> pool.query("UPDATE invoice SET total = 0 WHERE id = '" + janId + "'")
                .execute().await().indefinitely());
        assertThrows(RuntimeException.class, () -> pool.query("DELETE FROM invoice WHERE id = '" + janId + "'")
                .execute().await().indefinitely());
        // a plan change may not reach into an invoiced period
        admin.req().body(Map.of("plan", "pro", "effectiveDate", "2026-01-20"))
                .post("/api/v1/billing/subscriptions/" + sub + "/plan-changes").then().statusCode(409);

        // late events after issue: billed on February's invoice as an adjustment at their marginal tier price
        send(List.of(UsageEvents.event(tenant, eventMeter, "1", Instant.parse("2026-01-15T00:00:00Z"), Map.of()),
                UsageEvents.event(tenant, eventMeter, "1", Instant.parse("2026-01-16T00:00:00Z"), Map.of())));
        money("23.00", PlanApiTest.exact(Api.viewer(tenant).req().get("/api/v1/billing/invoices/" + janId).then()
                .statusCode(200).extract().asString()).get("total"));
        assertEquals(0, run("2026-03-01T00:10:00Z"));
        JsonPath feb = invoices(admin);
        assertEquals("2026-02-01", feb.getString("[0].period.start"));
        assertEquals(List.of("RECURRING", "USAGE", "ADJUSTMENT"), feb.getList("[0].lines.type"));
        assertEquals(0, new BigDecimal("2").compareTo(PlanApiTest.dec(feb.get("[0].lines[2].quantity"))));
        money("1.00", feb.get("[0].lines[2].amount")); // 7 units cost 4.00, 5 cost 3.00
        money("21.00", feb.get("[0].total"));
        // a JavaScript client reads every amount as an exact decimal string, and the lines sum to the total
        assertSumsExactlyInJavaScript(admin.req().get("/api/v1/billing/invoices/" + feb.getString("[0].id")).then()
                .statusCode(200).extract().asString());
        assertTrue(run("2026-03-04T00:00:00Z") >= 1);
        JsonPath febIssued = invoices(admin);
        assertTrue(febIssued.getString("[0].number").compareTo(janNumber) > 0);
        // gapless over every invoice ever issued
        Row numbers = pool.query("SELECT count(*) AS n, max(seq) AS m, min(seq) AS f FROM invoice WHERE status = 'ISSUED'")
                .execute().await().indefinitely().iterator().next();
        assertEquals(numbers.getLong("n"), numbers.getLong("m") - numbers.getLong("f") + 1);
        assertEquals(1L, numbers.getLong("f"));
        // the adjustment raised January's snapshot: March bills no second adjustment for the same events
        assertEquals(0, run("2026-04-01T00:10:00Z"));
        JsonPath mar = invoices(admin);
        assertEquals(List.of("RECURRING", "USAGE"), mar.getList("[0].lines.type"));
        String marId = mar.getString("[0].id");

        // credit notes: platform admins only, issued invoices only, never more than the total
        Api root = Api.platformAdmin();
        root.req().body(Map.of("amount", new BigDecimal("10.00"), "reason", "goodwill"))
                .post("/api/v1/billing/invoices/" + janId + "/credit-notes").then().statusCode(201)
                .body("number", matchesPattern("CN-\\d{8}"));
        root.req().body(Map.of("amount", new BigDecimal("13.01"), "reason", "too much"))
                .post("/api/v1/billing/invoices/" + janId + "/credit-notes").then().statusCode(409)
                .body("type", endsWith("/conflict"));
        root.req().body(Map.of("amount", new BigDecimal("0.001"), "reason", "sub-cent"))
                .post("/api/v1/billing/invoices/" + janId + "/credit-notes").then().statusCode(400);
        root.req().body(Map.of("amount", new BigDecimal("13.00"), "reason", "void the rest"))
                .post("/api/v1/billing/invoices/" + janId + "/credit-notes").then().statusCode(201);
        root.req().body(Map.of("amount", new BigDecimal("1"), "reason", "draft"))
                .post("/api/v1/billing/invoices/" + marId + "/credit-notes").then().statusCode(409);
        admin.req().body(Map.of("amount", new BigDecimal("1"), "reason", "self-service"))
                .post("/api/v1/billing/invoices/" + janId + "/credit-notes").then().statusCode(403);
        root.req().body(Map.of("amount", new BigDecimal("-1"), "reason", "negative"))
                .post("/api/v1/billing/invoices/" + janId + "/credit-notes").then().statusCode(400);
        JsonPath janNow = PlanApiTest.exact(admin.req().get("/api/v1/billing/invoices/" + janId).then().statusCode(200)
                .extract().asString());
        money("23.00", janNow.get("total"));
        money("23.00", janNow.get("credited"));
        Api.viewer(tenant).req().get("/api/v1/billing/credit-notes").then().statusCode(200).body("size()", equalTo(2));

        // tenancy
        Api other = Api.admin(TestClient.newTenant());
        other.req().get("/api/v1/billing/invoices/" + janId).then().statusCode(404).contentType("application/problem+json");
        other.req().get("/api/v1/billing/invoices").then().statusCode(200).body("size()", equalTo(0));
        other.req().get("/api/v1/billing/credit-notes").then().statusCode(200).body("size()", equalTo(0));
        other.req().queryParam("tenant", tenant).get("/api/v1/billing/invoices").then().statusCode(403);
        other.req().get("/api/v1/billing/invoices/not-a-uuid").then().statusCode(404);
    }

    private void send(List<CloudEvent<UsageV1>> events) {
        new UsageEvents(codec).send(Topics.USAGE_V1, events).awaitConsumed(group);
    }

    private int run(String now) {
        return invoicing.run(Instant.parse(now)).await().indefinitely();
    }

    private static JsonPath invoices(Api api) {
        return PlanApiTest.exact(api.req().get("/api/v1/billing/invoices").then().statusCode(200).extract().asString());
    }

    /** Runs invoice-sum.mjs on Node with {@code invoice}: amounts must be decimal strings summing to the total. */
    static void assertSumsExactlyInJavaScript(String invoice) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("node"), "Node is not installed here (.ci/run requires it)");
        java.nio.file.Path script = java.nio.file.Path.of(InvoicingTest.class.getResource("/invoice-sum.mjs").toURI());
        Process node = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        try (var in = node.getOutputStream()) {
            in.write(invoice.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(node.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), "Node's sum of " + invoice + ": " + out);
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command)));
    }

    private static void money(String expected, Object actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(PlanApiTest.dec(actual)),
                "expected " + expected + ", was " + actual);
    }
}
