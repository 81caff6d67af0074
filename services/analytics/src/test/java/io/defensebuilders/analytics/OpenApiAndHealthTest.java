package io.defensebuilders.analytics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** The operational surface: health, metrics the dashboards read, and the OpenAPI contract. */
@QuarkusTest
class OpenApiAndHealthTest {

    @Test
    void isReadyAndLiveWithItsConsumerRunning() {
        given().port(ManagementPort.get()).get("/q/health/ready").then().statusCode(200);
        given().port(ManagementPort.get()).get("/q/health/live").then().statusCode(200)
                .body(containsString("event-consumer"));
    }

    @Test
    void exposesTheMetricsTheFleetDashboardReads() {
        // one application request, so the HTTP server timer exists (the /q endpoints are not timed)
        Api.viewer(TestClient.newTenant()).post("{\"metrics\":[\"events\"],\"date_range\":\"24h\"}").then().statusCode(200);
        // the GC pause timer appears with the first collection, which a short test run may not have had yet
        System.gc();
        given().port(ManagementPort.get()).get("/q/metrics").then().statusCode(200)
                .body(containsString("dbp_analytics_events_accepted_total"))
                .body(containsString("dbp_analytics_events_duplicates_total"))
                .body(containsString("dbp_analytics_events_rejected_total"))
                .body(containsString("dbp_analytics_ingest_failed_batches_total"))
                .body(containsString("dbp_analytics_ingest_batch_seconds"))
                .body(containsString("http_server_requests_seconds_count{"))
                .body(containsString("http_server_requests_seconds_max{"))
                // the latency histogram platform-common configures: the fleet dashboard's p50/p99
                .body(containsString("http_server_requests_seconds_bucket{"))
                .body(containsString("le=\"0.025\""))
                .body(containsString("outcome=\"SUCCESS\""))
                .body(containsString("jvm_memory_used_bytes{area=\"heap\""))
                .body(containsString("jvm_memory_max_bytes{area=\"nonheap\""))
                .body(containsString("jvm_gc_pause_seconds"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @Test
    void documentsTheQueryEndpointAndItsProblems() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/analytics/query"))
                .body(containsString("application/problem+json"));
    }
}
