package io.defensebuilders.analytics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.analytics.Granularity;
import io.defensebuilders.analytics.StatsQuery;
import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.testing.config.ConfigStub;

/** The query document, without HTTP: what is understood, and the 400s (and the 404) that name the member at fault. */
class QueryParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T10:17:31Z");
    private static final Caller ACME = new Caller("acme", "ana", Set.of(Role.VIEWER));
    private static final Caller ADMIN = new Caller("bootstrap", "root", Set.of(Role.ADMIN, Role.PLATFORM_ADMIN));

    private final QueryParser parser;

    QueryParserTest() {
        AnalyticsConfig.EventType sdkPublished = ConfigStub.of(AnalyticsConfig.EventType.class,
                Map.of("dimensions", Optional.of(List.of("sdk", "version")), "value", Optional.empty()));
        AnalyticsConfig.Query query = ConfigStub.of(AnalyticsConfig.Query.class,
                Map.of("maxLimit", 1000, "maxMinuteBuckets", 1440));
        AnalyticsConfig config = ConfigStub.of(AnalyticsConfig.class,
                Map.of("types", Map.of("registry.sdk.published", sdkPublished), "query", query));
        parser = new QueryParser(new TypeRules(config), config);
    }

    @Test
    void aRelativeRangeEndsWithTheCurrentUnitAndTheTableFollowsTheAlignment() throws Exception {
        StatsQuery q = parse(ACME, "{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"dimensions\":[\"time:day\"]}");
        assertEquals("acme", q.tenant());
        assertEquals(Instant.parse("2026-11-29T00:00:00Z"), q.from());
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), q.to());
        assertEquals(Granularity.DAY, q.granularity());

        StatsQuery hours = parse(ACME, "{\"metrics\":[\"events\"],\"date_range\":\"24h\",\"dimensions\":[\"time:day\"]}");
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), hours.from());
        // days asked for over an hour-aligned range: read from the hour rollup
        assertEquals(Granularity.HOUR, hours.granularity());
    }

    @Test
    void anAbsoluteRangeOfDatesIncludesTheLastDay() throws Exception {
        StatsQuery q = parse(ACME, "{\"metrics\":[\"events\",\"value\"],\"date_range\":[\"2026-11-01\",\"2026-11-30\"],"
                + "\"dimensions\":[\"event:type\",\"data:sdk\"]}");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), q.from());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), q.to());
        assertEquals(List.of("events", "value"), q.metrics());
        assertEquals(List.of("event:type", "data:sdk"), q.dimensions().stream().map(StatsQuery.Dimension::name).toList());
        assertEquals("sdk", q.dimensions().get(1).dataPath());
    }

    @Test
    void eachMistakeIsA400ThatNamesItsMember() {
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"colour\":1}", "colour");
        assertInvalid("{\"date_range\":\"7d\"}", "metrics");
        assertInvalid("{\"metrics\":[\"events\",\"events\"],\"date_range\":\"7d\"}", "metrics");
        assertInvalid("{\"metrics\":[\"clicks\"],\"date_range\":\"7d\"}", "metrics");
        assertInvalid("{\"metrics\":[\"events\"]}", "date_range");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":\"0d\"}", "date_range");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":\"7w\"}", "date_range");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":[\"2026-11-02\",\"2026-11-01T00:00:00Z\"]}",
                "date_range");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":[\"2026-11-01T00:00:30Z\",\"2026-11-02\"]}",
                "date_range[0]");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":[\"1999-12-31\",\"2026-11-02\"]}", "date_range");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"dimensions\":[\"data:colour\"]}",
                "dimensions");
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"dimensions\":[\"time:day\",\"time:hour\"]}",
                "dimensions");
        // 7 days per minute: 10,080 buckets, more than the 1,440 allowed
        assertInvalid("{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"dimensions\":[\"time:minute\"]}",
                "dimensions");
        ProblemException notAnObject = assertThrows(ProblemException.class, () -> parse(ACME, "[1]"));
        assertEquals(400, notAnObject.status());
    }

    @Test
    void anotherTenantIsInvisibleUnlessThePlatformAdminAsks() throws Exception {
        ProblemException e = assertThrows(ProblemException.class,
                () -> parse(ACME, "{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"tenant\":\"globex\"}"));
        assertEquals(404, e.status(), "the same answer whether globex exists or not");
        assertEquals("acme", parse(ACME, "{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"tenant\":\"acme\"}").tenant());
        assertEquals("globex", parse(ADMIN, "{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"tenant\":\"globex\"}")
                .tenant());
        assertNull(parse(ADMIN, "{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"tenant\":\"*\"}").tenant(),
                "the whole platform");
        assertEquals(404, assertThrows(ProblemException.class,
                () -> parse(ACME, "{\"metrics\":[\"events\"],\"date_range\":\"7d\",\"tenant\":\"*\"}")).status());
    }

    private StatsQuery parse(Caller caller, String body) throws Exception {
        return parser.parse(caller, JSON.readTree(body), NOW);
    }

    private void assertInvalid(String body, String member) {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(ACME, body), body);
        assertEquals(400, e.status(), body);
        List<Problem.FieldError> errors = e.toProblem().errors();
        assertTrue(errors != null && errors.stream().anyMatch(f -> f.field().equals(member)),
                body + " -> " + errors);
    }
}
