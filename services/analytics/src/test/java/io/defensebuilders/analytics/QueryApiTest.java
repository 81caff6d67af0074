package io.defensebuilders.analytics;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** The query API's semantics, tenancy and refusals, over events that went through the real topic. */
@QuarkusTest
class QueryApiTest {

    private static final Instant H0 = Events.BASE;

    @ConfigProperty(name = "dbp.analytics.ingest.group-id")
    String group;

    @Inject
    io.defensebuilders.analytics.service.TypeRules rules;

    private final String tenant = TestClient.newTenant();
    private final String other = TestClient.newTenant();
    private final Api viewer = Api.viewer(tenant);

    @BeforeEach
    void seed() {
        new Events().send(Topics.USAGE_V1, List.of(
                Events.test(tenant, H0.plusSeconds(10), "a", "eu", "1"),
                Events.test(tenant, H0.plusSeconds(20), "a", "us", "2"),
                Events.test(tenant, H0.plusSeconds(60), "b", "eu", "3"),
                Events.test(tenant, H0.plusSeconds(3600 + 300), "a", "eu", "4"),
                Events.test(tenant, H0.minus(Duration.ofDays(1)), "c", "us", "5.25"),
                Events.test(other, H0.plusSeconds(10), "a", "eu", "100"))).awaitConsumed(group);
    }

    private static String range(Instant from, Instant to) {
        return "[\"" + from + "\", \"" + to + "\"]";
    }

    private static List<List<Object>> results(JsonPath json) {
        return json.getList("results", java.util.Map.class).stream()
                .map(r -> List.<Object> of(r.get("dimensions"), ((List<?>) r.get("metrics")).stream()
                        .map(m -> new BigDecimal(m.toString())).toList()))
                .toList();
    }

    private static List<Object> row(List<String> dims, Object... metrics) {
        return List.of(dims, List.of(metrics).stream().map(m -> new BigDecimal(m.toString())).toList());
    }

    @Test
    void totalsEventsAndValueOverTheDateRange() {
        JsonPath json = viewer.query("{\"metrics\":[\"events\",\"value\"],\"date_range\":"
                + range(H0.minus(Duration.ofDays(1)), H0.plus(Duration.ofHours(2))) + "}");
        assertEquals(List.of(row(List.of(), 5, "15.25")), results(json));
        assertEquals(tenant, json.getString("meta.tenant"));
        // a range that leaves out the first minute leaves out its two events
        json = viewer.query(
                "{\"metrics\":[\"events\"],\"date_range\":" + range(H0.plusSeconds(60), H0.plus(Duration.ofHours(2))) + "}");
        assertEquals(List.of(row(List.of(), 2)), results(json));
        // relative: the last 30 UTC days, today included
        json = viewer.query("{\"metrics\":[\"events\"],\"date_range\":\"30d\"}");
        assertEquals(List.of(row(List.of(), 5)), results(json));
        assertEquals("day", json.getString("meta.rollup"));
    }

    @Test
    void groupsByTimeAndDataDimensions() {
        JsonPath json = viewer.query("{\"metrics\":[\"events\",\"value\"],\"date_range\":"
                + range(H0, H0.plus(Duration.ofHours(2))) + ",\"dimensions\":[\"time:hour\"]}");
        assertEquals("hour", json.getString("meta.rollup"));
        assertEquals(List.of(row(List.of(H0.toString()), 3, 6), row(List.of(H0.plusSeconds(3600).toString()), 1, 4)),
                results(json));

        json = viewer.query("{\"metrics\":[\"events\"],\"date_range\":" + range(H0, H0.plus(Duration.ofHours(2)))
                + ",\"dimensions\":[\"time:minute\",\"data:kind\"]}");
        assertEquals("minute", json.getString("meta.rollup"));
        assertEquals(List.of(row(List.of(H0.toString(), "a"), 2), row(List.of(H0.plusSeconds(60).toString(), "b"), 1),
                row(List.of(H0.plusSeconds(3900).toString(), "a"), 1)), results(json));

        // dates: both inclusive, whole UTC days
        LocalDate first = LocalDate.ofInstant(H0.minus(Duration.ofDays(1)), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(H0.plusSeconds(3900), ZoneOffset.UTC);
        json = viewer.query("{\"metrics\":[\"events\"],\"date_range\":[\"" + first + "\",\"" + last
                + "\"],\"dimensions\":[\"event:type\",\"event:tenant\"]}");
        assertEquals(List.of(row(List.of(Events.TEST_TYPE, tenant), 5)), results(json));
    }

    @Test
    void filtersOrdersAndPaginates() {
        String r = range(H0.minus(Duration.ofDays(1)), H0.plus(Duration.ofHours(2)));
        JsonPath json = viewer.query("{\"metrics\":[\"events\",\"value\"],\"date_range\":" + r
                + ",\"dimensions\":[\"data:kind\"],\"filters\":[[\"is\",\"data:region\",[\"eu\"]]]}");
        // default order: the first metric, largest first
        assertEquals(List.of(row(List.of("a"), 2, 5), row(List.of("b"), 1, 3)), results(json));

        json = viewer.query("{\"metrics\":[\"events\"],\"date_range\":" + r
                + ",\"dimensions\":[\"data:kind\"],\"filters\":[[\"is_not\",\"data:kind\",[\"a\",\"b\"]]]}");
        assertEquals(List.of(row(List.of("c"), 1)), results(json));

        json = viewer.query("{\"metrics\":[\"events\"],\"date_range\":" + r
                + ",\"filters\":[[\"contains\",\"event:type\",[\"TESTS.v1\"]],[\"is\",\"data:region\",[\"us\"]]]}");
        assertEquals(List.of(row(List.of(), 2)), results(json));

        String paged = "{\"metrics\":[\"value\"],\"date_range\":" + r
                + ",\"dimensions\":[\"data:kind\",\"data:region\"],\"order_by\":[[\"value\",\"asc\"]],"
                + "\"pagination\":{\"limit\":2,\"offset\":%d}}";
        json = viewer.query(paged.formatted(0));
        assertEquals(List.of(row(List.of("a", "us"), 2), row(List.of("b", "eu"), 3)), results(json));
        assertEquals(4, json.getInt("meta.total_rows"));
        json = viewer.query(paged.formatted(2));
        assertEquals(List.of(row(List.of("a", "eu"), 5), row(List.of("c", "us"), "5.25")), results(json));
        assertEquals(List.of(), results(viewer.query(paged.formatted(4))));
    }

    @Test
    void aTenantSeesOnlyItsOwnEvents() {
        String body = "{\"metrics\":[\"events\"],\"date_range\":" + range(H0, H0.plus(Duration.ofHours(2)))
                + ",\"dimensions\":[\"event:tenant\"]%s}";
        assertEquals(List.of(row(List.of(other), 1)), results(Api.viewer(other).query(body.formatted(""))));
        // naming another tenant: invisible, whether or not it exists
        Api.viewer(other).post(body.formatted(",\"tenant\":\"" + tenant + "\"")).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://defensebuilders.io/problems/not-found"));
        Api.viewer(other).post(body.formatted(",\"tenant\":\"*\"")).then().statusCode(404);
        // the caller's own tenant, named, is fine
        assertEquals(List.of(row(List.of(other), 1)),
                results(Api.viewer(other).query(body.formatted(",\"tenant\":\"" + other + "\""))));
        // platform admins: any tenant, or the whole platform
        assertEquals(List.of(row(List.of(tenant), 4)),
                results(Api.platformAdmin().query(body.formatted(",\"tenant\":\"" + tenant + "\""))));
        List<List<Object>> all = results(Api.platformAdmin().query(body.formatted(",\"tenant\":\"*\"")));
        assertEquals(true, all.contains(row(List.of(tenant), 4)));
        assertEquals(true, all.contains(row(List.of(other), 1)));
        // no token, no answer
        RestAssured.given().contentType("application/json").body(body.formatted("")).post(Api.QUERY).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void refusesBadQueriesWithAProblemThatNamesTheFault() {
        String r = range(H0, H0.plus(Duration.ofHours(1)));
        String[][] cases = {
                { "[]", "body must be a JSON object" },
                { "{\"date_range\":\"7d\"}", "metrics" },
                { "{\"metrics\":[\"visitors\"],\"date_range\":\"7d\"}", "unknown metric" },
                { "{\"metrics\":[\"events\",\"events\"],\"date_range\":\"7d\"}", "listed twice" },
                { "{\"metrics\":[\"events\"]}", "date_range" },
                { "{\"metrics\":[\"events\"],\"date_range\":\"forever\"}", "not a relative range" },
                { "{\"metrics\":[\"events\"],\"date_range\":[\"2026-13-01\",\"2026-01-02\"]}", "date_range[0]" },
                { "{\"metrics\":[\"events\"],\"date_range\":[\"2026-01-02T00:00:00Z\",\"2026-01-01T00:00:00Z\"]}",
                        "after the start" },
                { "{\"metrics\":[\"events\"],\"date_range\":[\"2026-01-01T00:00:30Z\",\"2026-01-02T00:00:00Z\"]}",
                        "whole minute" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"dimensions\":[\"visit:source\"]}",
                        "unknown dimension" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"dimensions\":[\"data:secret\"]}", "unknown dimension" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"dimensions\":[\"time:hour\",\"time:day\"]}",
                        "one time dimension" },
                { "{\"metrics\":[\"events\"],\"date_range\":\"30d\",\"dimensions\":[\"time:minute\"]}", "time:minute" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"filters\":[[\"matches\",\"event:type\",[\"x\"]]]}",
                        "unknown operator" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"filters\":[[\"is\",\"time:day\",[\"x\"]]]}",
                        "date_range, not with filters" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"filters\":[[\"is\",\"event:type\",[]]]}",
                        "non-empty array" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"filters\":[\"is\"]}", "filters[0]" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"order_by\":[[\"value\",\"desc\"]]}",
                        "neither a queried metric" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"order_by\":[[\"events\",\"up\"]]}", "asc" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"pagination\":{\"limit\":0}}", "pagination.limit" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"pagination\":{\"offset\":-1}}", "pagination.offset" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"pagination\":{\"page\":2}}", "pagination.page" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"tenant\":42}", "tenant" },
                { "{\"metrics\":[\"events\"],\"date_range\":" + r + ",\"sampling\":true}", "sampling" },
        };
        for (String[] c : cases) {
            viewer.post(c[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString(c[1])).body("status", equalTo(400));
        }
        // not JSON at all
        viewer.post("{metrics:").then().statusCode(400).contentType("application/problem+json");
    }
}
