package io.defensebuilders.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI contract, health (the consumer thread included) and the ingest metrics. */
@QuarkusTest
class OpenApiAndHealthTest {

    @Test
    void everyOperationIsDocumentedWithASummaryAndProblemResponses() throws Exception {
        String json = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode doc = new ObjectMapper().readTree(json);
        for (String path : List.of("/api/v1/billing/meters", "/api/v1/billing/meters/{key}", "/api/v1/billing/usage",
                "/api/v1/billing/plans", "/api/v1/billing/plans/{key}", "/api/v1/billing/fee-rules",
                "/api/v1/billing/subscriptions", "/api/v1/billing/subscriptions/{id}",
                "/api/v1/billing/subscriptions/{id}/plan-changes", "/api/v1/billing/invoices",
                "/api/v1/billing/invoices/{id}", "/api/v1/billing/invoices/preview",
                "/api/v1/billing/invoices/{id}/credit-notes", "/api/v1/billing/credit-notes")) {
            JsonNode item = doc.path("paths").path(path);
            assertTrue(!item.isMissingNode(), "missing path " + path);
            item.fields().forEachRemaining(op -> {
                String where = op.getKey().toUpperCase() + " " + path;
                assertTrue(op.getValue().path("summary").asText().length() > 5, "summary of " + where);
                for (String code : List.of("400", "401")) {
                    assertTrue(op.getValue().path("responses").path(code).path("content").has("application/problem+json"),
                            "problem+json " + code + " of " + where);
                }
            });
        }
        // money and quantities: exact decimal strings, under a name that is not a Java class's
        JsonNode decimal = doc.path("components").path("schemas").path("Decimal");
        assertTrue(decimal.path("type").asText().equals("string") && decimal.path("format").asText().equals("decimal"),
                decimal.toString());
        assertTrue(!json.contains("java.math"), "no Java class name in the document");
        assertTrue(doc.path("components").path("schemas").has("UsageReport"));
        assertTrue(doc.path("components").path("schemas").has("NewMeter"));
        for (String schema : List.of("Plan", "Price", "GraduatedPrice", "Tier", "LineItem", "TierLine", "Invoice",
                "InvoicePreview", "Subscription", "CreditNote")) {
            assertTrue(doc.path("components").path("schemas").has(schema), "schema " + schema);
        }
    }

    @Test
    void reportsTheConsumerInHealthAndExposesIngestAndLagMetrics() {
        int management = ManagementPort.get();
        given().port(management).get("/q/health/live").then().statusCode(200).body(containsString("usage-consumer"));
        given().port(management).get("/q/health/ready").then().statusCode(200);
        // the API port serves the API only
        given().get("/q/metrics").then().statusCode(404).contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(404).contentType("application/problem+json");
        given().port(management).get("/q/metrics").then().statusCode(200)
                .body(containsString("dbp_billing_usage_consumed_total"))
                .body(containsString("dbp_billing_usage_duplicates_total"))
                .body(containsString("dbp_billing_usage_dead_lettered_total"))
                .body(containsString("dbp_billing_usage_ignored_total"))
                .body(containsString("dbp_billing_usage_batch_seconds"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag"));
    }
}
