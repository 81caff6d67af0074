package io.defensebuilders.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The usage query: tenancy, and every kind of bad input answered with a 4xx problem. */
@QuarkusTest
class UsageQueryTest {

    private static final Instant T = UsageEvents.BASE.plus(Duration.ofHours(9));

    @Inject
    CloudEventCodec codec;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    @Test
    void aTenantSeesOnlyItsOwnUsageAndPlatformAdminsSeeAnyTenants() {
        String alice = TestClient.newTenant();
        String bob = TestClient.newTenant();
        UsageEvents kafka = new UsageEvents(codec);
        kafka.send(Topics.USAGE_V1, UsageEvents.event(alice, UsageV1.API_CALL, "1", T, Map.of("route", "orbital")));
        for (int i = 0; i < 3; i++) {
            kafka.send(Topics.USAGE_V1, UsageEvents.event(bob, UsageV1.API_CALL, "1", T, Map.of("route", "orbital")));
        }
        kafka.awaitConsumed(group);
        Instant to = T.plus(Duration.ofHours(1));

        Api.viewer(alice).req().queryParam("meter", "api.call").queryParam("from", T.toString())
                .queryParam("to", to.toString()).get("/api/v1/billing/usage").then().statusCode(200)
                .body("tenant", equalTo(alice)).body("data[0].value", equalTo("1"));
        Api.admin(alice).req().queryParam("meter", "api.call").queryParam("from", T.toString())
                .queryParam("to", to.toString()).queryParam("tenant", bob).get("/api/v1/billing/usage").then()
                .statusCode(403).contentType("application/problem+json");
        org.junit.jupiter.api.Assertions.assertEquals(new BigDecimal("3"),
                new Api(bob, "x", "viewer").total("api.call", T, to));
        Api.platformAdmin().req().queryParam("meter", "api.call").queryParam("from", T.toString())
                .queryParam("to", to.toString()).queryParam("tenant", bob).get("/api/v1/billing/usage").then()
                .statusCode(200).body("tenant", equalTo(bob)).body("data[0].value", equalTo("3"));
    }

    @Test
    void badQueriesAreProblemsNeverServerErrors() {
        Api viewer = Api.viewer(TestClient.newTenant());
        String from = T.toString();
        String to = T.plus(Duration.ofHours(1)).toString();
        bad(viewer.req().queryParam("from", from).queryParam("to", to), 400, "/validation");
        bad(query(viewer, from, from), 400, "/validation");
        bad(query(viewer, to, from), 400, "/validation");
        bad(query(viewer, "yesterday", to), 400, "/validation");
        bad(query(viewer, "2026-01-01T00:00:00", to), 400, "/validation");
        bad(query(viewer, T.plusSeconds(30).toString(), to), 400, "/validation");
        bad(query(viewer, "+999999-01-01T00:00:00Z", to), 400, "/validation");
        bad(query(viewer, from, to).queryParam("windowSize", "WEEK"), 400, "/validation");
        bad(query(viewer, T.minus(Duration.ofDays(8)).toString(), to).queryParam("windowSize", "MINUTE"), 400,
                "/validation");
        bad(query(viewer, from, to).queryParam("groupBy", "method"), 400, "/validation");
        bad(viewer.req().queryParam("meter", "no.such.meter").queryParam("from", from).queryParam("to", to), 404,
                "/not-found");
        bad(given().queryParam("meter", "api.call").queryParam("from", from).queryParam("to", to), 401, "/unauthorized");
        // the limits are about windows: the same eight days in hours is fine
        query(viewer, T.minus(Duration.ofDays(8)).toString(), to).queryParam("windowSize", "hour")
                .get("/api/v1/billing/usage").then().statusCode(200).body("windowSize", equalTo("HOUR"));
    }

    private static RequestSpecification query(Api api, String from, String to) {
        return api.req().queryParam("meter", "api.call").queryParam("from", from).queryParam("to", to);
    }

    private static void bad(RequestSpecification request, int status, String type) {
        request.get("/api/v1/billing/usage").then().statusCode(status).contentType("application/problem+json")
                .body("type", endsWith(type));
    }
}
