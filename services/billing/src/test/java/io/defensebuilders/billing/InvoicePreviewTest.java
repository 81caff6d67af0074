package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The upcoming invoice, end to end: usage events on the real usage.v1 topic, metered once, priced with the
 * subscription's plan; plan changes prorated; the marketplace fee on paid listing revenue.
 */
@QuarkusTest
class InvoicePreviewTest {

    private static final String REVENUE_METER = "marketplace.paid-listing.revenue";

    @Inject
    CloudEventCodec codec;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    @Test
    void previewPricesTheMeteredUsageWithTiersAndProratesAPlanChange() {
        String eventMeter = TestClient.unique("calls");
        String meter = Api.createMeter(TestClient.unique("calls"), eventMeter, "COUNT", null, List.of());
        String small = createPlan("10.00", meter, 2, Map.of("model", "GRADUATED", "tiers",
                List.of(Map.of("upTo", 3, "unitPrice", new BigDecimal("1.00")), lastTier("0.50"))));
        String large = createPlan("40.00", meter, 0, Map.of("model", "PER_UNIT", "unitPrice", new BigDecimal("0.10")));

        String tenant = TestClient.newTenant();
        String other = TestClient.newTenant();
        LocalDate baseDay = LocalDate.ofInstant(UsageEvents.BASE, ZoneOffset.UTC);
        int anchor = Math.min(baseDay.getDayOfMonth(), 28);
        BillingPeriod period = BillingPeriod.containing(baseDay, anchor);
        String id = Api.admin(tenant).req().body(Map.of("plan", small, "startDate", period.start().toString(),
                "anchorDay", anchor)).post("/api/v1/billing/subscriptions").then().statusCode(201).extract().path("id");

        // 6 distinct events, one of them delivered twice; another tenant's usage on the same meter
        List<CloudEvent<UsageV1>> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(UsageEvents.event(tenant, eventMeter, "1", UsageEvents.BASE.plus(Duration.ofMinutes(i)), Map.of()));
        }
        events.add(events.get(3));
        for (int i = 0; i < 4; i++) {
            events.add(UsageEvents.event(other, eventMeter, "1", UsageEvents.BASE, Map.of()));
        }
        new UsageEvents(codec).send(Topics.USAGE_V1, events).awaitConsumed(group);

        JsonPath preview = preview(Api.viewer(tenant));
        assertEquals(period.start().toString(), preview.getString("period.start"));
        assertEquals(period.end().toString(), preview.getString("period.end"));
        assertEquals(List.of("RECURRING", "USAGE"), preview.getList("lines.type"));
        assertMoney("10.00", preview.get("lines[0].amount"));
        assertEquals(0, new BigDecimal("6").compareTo(PlanApiTest.dec(preview.get("lines[1].quantity"))));
        assertEquals(0, new BigDecimal("2").compareTo(PlanApiTest.dec(preview.get("lines[1].included"))));
        // 4 billable: 3 in the first tier at 1.00, 1 in the second at 0.50
        assertEquals(2, preview.getList("lines[1].tiers").size());
        assertEquals(0, new BigDecimal("3").compareTo(PlanApiTest.dec(preview.get("lines[1].tiers[0].quantity"))));
        assertEquals(0, new BigDecimal("1").compareTo(PlanApiTest.dec(preview.get("lines[1].tiers[1].quantity"))));
        assertMoney("3.50", preview.get("lines[1].amount"));
        assertMoney("13.50", preview.get("total"));

        // upgrade today: the rest of the period's days credited on the old plan, charged on the new one
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Api.admin(tenant).req().body(Map.of("plan", large)).post("/api/v1/billing/subscriptions/" + id + "/plan-changes")
                .then().statusCode(200);
        long days = period.days();
        long left = ChronoUnit.DAYS.between(today, period.end());
        BigDecimal credit = new BigDecimal("-10.00").multiply(BigDecimal.valueOf(left))
                .divide(BigDecimal.valueOf(days), 2, RoundingMode.HALF_EVEN);
        BigDecimal charge = new BigDecimal("40.00").multiply(BigDecimal.valueOf(left))
                .divide(BigDecimal.valueOf(days), 2, RoundingMode.HALF_EVEN);
        JsonPath changed = preview(Api.viewer(tenant));
        assertEquals(List.of("RECURRING", "PRORATION_CREDIT", "PRORATION_CHARGE", "USAGE"), changed.getList("lines.type"));
        assertMoney(credit.toPlainString(), changed.get("lines[1].amount"));
        assertMoney(charge.toPlainString(), changed.get("lines[2].amount"));
        assertMoney("0.60", changed.get("lines[3].amount")); // usage at the plan in force at the period's end
        assertMoney(new BigDecimal("10.00").add(credit).add(charge).add(new BigDecimal("0.60")).toPlainString(),
                changed.get("total"));
        assertEquals(large, changed.getString("plan"));
    }

    @Test
    void theMarketplaceFeeIsTenPercentOfPaidListingRevenueWhateverThePlan() {
        Api.platformAdmin().req().body(Map.of("key", REVENUE_METER, "eventMeter", REVENUE_METER, "aggregation", "SUM",
                "valueProperty", "quantity")).post("/api/v1/billing/meters"); // 201, or 409 when it exists
        String tenant = TestClient.newTenant();
        Api.admin(tenant).req().body(Map.of("plan", "free")).post("/api/v1/billing/subscriptions").then().statusCode(201);
        new UsageEvents(codec).send(Topics.USAGE_V1, List.of(
                UsageEvents.event(tenant, REVENUE_METER, "250.00", UsageEvents.BASE.plus(Duration.ofDays(2)), Map.of()),
                UsageEvents.event(tenant, REVENUE_METER, "99.99", UsageEvents.BASE.plus(Duration.ofDays(2)), Map.of())))
                .awaitConsumed(group);
        JsonPath preview = preview(Api.viewer(tenant));
        assertEquals(List.of("FEE"), preview.getList("lines.type"));
        assertEquals(0, new BigDecimal("349.99").compareTo(PlanApiTest.dec(preview.get("lines[0].quantity"))));
        assertMoney("35.00", preview.get("lines[0].amount")); // 34.999 rounded half-even
        assertMoney("35.00", preview.get("total"));
    }

    private static JsonPath preview(Api api) {
        return PlanApiTest.exact(api.req().get("/api/v1/billing/invoices/preview").then().statusCode(200)
                .contentType("application/json").extract().asString());
    }

    private static String createPlan(String fee, String meter, int included, Map<String, Object> price) {
        String key = "p-" + UUID.randomUUID().toString().substring(0, 8);
        Api.platformAdmin().req().body(Map.of("key", key, "name", key, "currency", "USD", "charges", List.of(
                Map.of("price", Map.of("model", "FLAT", "amount", new BigDecimal(fee))),
                Map.of("meter", meter, "included", included, "price", price))))
                .post("/api/v1/billing/plans").then().statusCode(201);
        return key;
    }

    private static Map<String, Object> lastTier(String unitPrice) {
        Map<String, Object> t = new HashMap<>();
        t.put("upTo", null);
        t.put("unitPrice", new BigDecimal(unitPrice));
        return t;
    }

    private static void assertMoney(String expected, Object actual) {
        assertEquals(new BigDecimal(expected).setScale(2), new BigDecimal(String.valueOf(actual)).setScale(2),
                "amount");
    }
}
