package io.defensebuilders.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.defensebuilders.platform.problem.JsonProblems;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemMappers;

/** The fleet's JSON reading policy, on a mapper set up as Quarkus sets up the services' one. */
class StrictJsonTest {

    enum Tier {
        BASIC,
        PRO
    }

    record Member(String subject, List<String> roles, int weight, Boolean active, Tier tier) {
    }

    record Measure(double value, Double optional, BigDecimal amount, Map<String, Object> attributes) {
    }

    record Window(Instant start, long count) {
    }

    record Holder(JsonNode query) {
    }

    private final ObjectMapper mapper = StrictJson.apply(new ObjectMapper().registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule()));

    @Test
    void readsWhatItShould() throws Exception {
        Member m = mapper.readValue("{\"subject\":\"ann \uD83D\uDE00\",\"roles\":[\"viewer\"],\"weight\":3,\"active\":true,"
                + "\"tier\":\"PRO\"}", Member.class);
        assertEquals(new Member("ann \uD83D\uDE00", List.of("viewer"), 3, true, Tier.PRO), m);
        Measure x = mapper.readValue("{\"value\":1e308,\"optional\":null,\"amount\":1e999,\"attributes\":{\"k\":null}}",
                Measure.class);
        // a null map value is a value (billing's limits: unlimited); an absent primitive is still its default
        assertTrue(x.attributes().containsKey("k"));
        assertEquals(0, mapper.readValue("{\"start\":\"2026-01-01T00:00:00Z\"}", Window.class).count());
        assertEquals(1e308, x.value());
        assertEquals(new BigDecimal("1e999"), x.amount());
        // a decimal as a string is its exact form
        assertEquals(new BigDecimal("0.10"), mapper.readValue("{\"amount\":\"0.10\"}", Measure.class).amount());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"),
                mapper.readValue("{\"start\":\"9999-12-31T23:59:59Z\",\"count\":1}", Window.class).start());
    }

    @Test
    void refusesADuplicatedKey() {
        assertRefused("{\"subject\":\"a\",\"subject\":\"b\"}", Member.class, "subject", "is given more than once");
        assertRefused("{\"attributes\":{\"k\":1,\"k\":2}}", Measure.class, "attributes.k", "is given more than once");
    }

    @Test
    void coercesNoScalar() {
        assertRefused("{\"subject\":123}", Member.class, "subject", "must be a string");
        assertRefused("{\"weight\":\"123\"}", Member.class, "weight", "must be an integer within range");
        assertRefused("{\"weight\":1.5}", Member.class, "weight", "must be an integer within range");
        assertRefused("{\"active\":1}", Member.class, "active", "must be true or false");
        assertRefused("{\"weight\":null}", Member.class, "weight", "must not be null");
        assertRefused("{\"tier\":1}", Member.class, "tier", "must be one of BASIC, PRO");
        assertRefused("{\"roles\":[null]}", Member.class, "roles[0]", "must not be null");
        assertRefused("{\"roles\":\"viewer\"}", Member.class, "roles", "must be an array");
    }

    @Test
    void refusesNulAndUnpairedSurrogatesEverywhere() {
        assertRefused("{\"subject\":\"a\\u0000b\"}", Member.class, "subject", "NUL");
        assertRefused("{\"roles\":[\"ok\",\"\\u0000\"]}", Member.class, "roles[1]", "NUL");
        assertRefused("{\"subject\":\"\\ud800\"}", Member.class, "subject", "unpaired");
        assertRefused("{\"subject\":\"\\udc00x\"}", Member.class, "subject", "unpaired");
        assertRefused("{\"attributes\":{\"a\\u0000\":1}}", Measure.class, "attributes", "key must not contain the NUL");
        assertRefused("{\"attributes\":{\"a\":[\"\\ud800\"]}}", Measure.class, "attributes.a", "unpaired");
        assertRefused("{\"query\":{\"filters\":[{\"value\":\"\\u0000\"}]}}", Holder.class, "query.filters[0].value", "NUL");
    }

    @Test
    void refusesNumbersThatCannotBeHeldExactly() {
        assertRefused("{\"value\":1e999}", Measure.class, "value", "finite");
        assertRefused("{\"optional\":-1e999}", Measure.class, "optional", "finite");
        assertRefused("{\"attributes\":{\"x\":1e999}}", Measure.class, "attributes.x", "finite");
        assertRefused("{\"amount\":1e1001}", Measure.class, "amount", "exponent");
        assertRefused("{\"amount\":\"1e1001\"}", Measure.class, "amount", "exponent");
        assertRefused("{\"amount\":\"ten\"}", Measure.class, "amount", "must be a number");
        assertRefused("{\"count\":99999999999999999999}", Window.class, "count", "out of range");
        assertRefused("{\"query\":{\"n\":1e999}}", Holder.class, "query.n", "finite");
    }

    @Test
    void refusesDatesOutsideTheYearsEveryStoreHolds() {
        assertRefused("{\"start\":\"+1000000000-01-01T00:00:00Z\"}", Window.class, "start", "0001-9999");
        assertRefused("{\"start\":\"-999999999-01-01T00:00:00Z\"}", Window.class, "start", "0001-9999");
        assertRefused("{\"start\":12}", Window.class, "start", "ISO-8601");
        assertRefused("{\"start\":\"2024-13-45T00:00:00Z\"}", Window.class, "start", "ISO-8601");
    }

    @Test
    void saysWhatIsWrongWithTheBodyAsAWhole() {
        assertRefused("[]", Member.class, "body", "must be an object");
        assertRefused("\"text\"", Member.class, "body", "must be an object");
        Problem p = problem("{\"subject\": ", Member.class);
        assertEquals(400, p.status());
        assertTrue(p.detail().startsWith("the request body is not valid JSON"), p.detail());
        p = problem("{\"subject\":\"a\"} trailing", Member.class);
        assertTrue(p.detail().startsWith("the request body is not valid JSON"), p.detail());
        p = problem("", Member.class);
        assertTrue(p.detail().contains("empty"), p.detail());
        p = problem("[".repeat(100_000), JsonNode.class);
        assertEquals("the request body is nested too deeply", p.detail());
        p = problem("{\"query\":" + "[".repeat(100_000) + "}", Holder.class);
        assertEquals("the request body is nested too deeply", p.detail());
    }

    private void assertRefused(String json, Class<?> type, String field, String reasonPart) {
        Problem p = problem(json, type);
        assertEquals(400, p.status(), json);
        assertEquals(field, p.errors() == null ? "body" : p.errors().getFirst().field(), json + " -> " + p.detail());
        assertTrue(p.detail().contains(reasonPart), json + " -> " + p.detail());
    }

    private Problem problem(String json, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> mapper.readValue(json, type), json);
        Problem p = JsonProblems.of(e).toProblem();
        assertFalse(ProblemMappers.INTERNAL_WORDS.matcher(p.detail()).find(), "internals in: " + p.detail());
        assertFalse(p.detail().contains("Jackson") || p.detail().contains("Feature"), "internals in: " + p.detail());
        return p;
    }
}
