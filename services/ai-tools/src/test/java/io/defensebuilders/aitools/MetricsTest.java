package io.defensebuilders.aitools;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The metrics the fleet dashboard and the chart's alerts read, as /q/metrics exposes them. */
@QuarkusTest
class MetricsTest {

    @Test
    void theDashboardsAndAlertsMetricsAreExposed() {
        Mcp.viewer(TestClient.newTenant()).call("search_sdks", Map.of("query", "tak"));
        Api admin = Api.as(TestClient.newTenant(), "admin");
        String id = admin.req().body(Map.of("teamId", "TMETRICS" + UUID.randomUUID().toString().substring(0, 4)
                .toUpperCase(), "signingSecret", "a-slack-signing-secret-for-metrics")).post("/api/v1/integrations/slack")
                .then().statusCode(201).extract().path("id");
        given().contentType("application/json").header("X-Slack-Request-Timestamp", "1")
                .header("X-Slack-Signature", "v0=00").body("{}").post("/api/v1/integrations/hooks/slack/" + id).then()
                .statusCode(401);
        given().port(ManagementPort.get()).get("/q/metrics").then().statusCode(200)
                .body(containsString("dbp_ai_tools_tool_calls_total{outcome=\"ok\",tool=\"search_sdks\"}"))
                .body(containsString("dbp_ai_tools_deliveries_refused_total{reason=\"stale\",source=\"slack\"}"))
                // series from the start, at 0 until they happen: the dashboard shows 0 rather than no data
                .body(containsString("dbp_ai_tools_deliveries_refused_total{reason=\"signature\",source=\"github\"}"))
                .body(containsString("dbp_ai_tools_deliveries_total{outcome=\"duplicate\",source=\"github\"}"))
                .body(containsString("dbp_ai_tools_tool_calls_total{outcome=\"limited\",tool=\"list_invoices\"}"))
                .body(containsString("dbp_ai_tools_notifications_queued_total"))
                .body(containsString("dbp_ai_tools_notifications_delivered_total"))
                .body(containsString("dbp_ai_tools_notifications_failed_attempts_total"))
                .body(containsString("dbp_ai_tools_notifications_dead_total"))
                .body(containsString("dbp_ai_tools_docs_passages_indexed_total"));
        // the docs' embeddings: the model asked for passages (ai-tools' tests run the real inference service)
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().port(ManagementPort.get()).get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("dbp_ai_tools_docs_embedding_calls_total{outcome=\"ok\",purpose=\"index\"}"))
                .body(containsString("dbp_ai_tools_docs_unembedded"))
                .body(containsString("dbp_ai_tools_docs_embedded")));
    }
}
