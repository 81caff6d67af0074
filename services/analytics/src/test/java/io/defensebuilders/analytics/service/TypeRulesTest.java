package io.defensebuilders.analytics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.analytics.config.AnalyticsConfig;

/** Which dimensions and value an event type gets, and the bounds that keep the rollups' cardinality in check. */
class TypeRulesTest {

    private static AnalyticsConfig.EventType type(String value, String... dims) {
        return new AnalyticsConfig.EventType() {
            @Override
            public Optional<List<String>> dimensions() {
                return Optional.of(List.of(dims));
            }

            @Override
            public Optional<String> value() {
                return Optional.ofNullable(value);
            }
        };
    }

    private static TypeRules rules(Map<String, AnalyticsConfig.EventType> types) {
        return new TypeRules(new AnalyticsConfig() {
            @Override
            public Ingest ingest() {
                return null;
            }

            @Override
            public Retention retention() {
                return null;
            }

            @Override
            public Map<String, EventType> types() {
                return types;
            }

            @Override
            public Query query() {
                return null;
            }
        });
    }

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void theExactTypeWinsThenTheLongestPrefix() {
        TypeRules r = rules(Map.of("a.b.*", type(null, "x"), "a.b.c.*", type(null, "y"), "a.b.c.d", type(null, "z")));
        assertEquals(List.of("z"), r.rule("a.b.c.d").dimensions());
        assertEquals(List.of("y"), r.rule("a.b.c.e").dimensions());
        assertEquals(List.of("x"), r.rule("a.b.q").dimensions());
        assertEquals(List.of(), r.rule("other").dimensions());
        assertEquals(java.util.Set.of("x", "y", "z"), r.allDimensions());
    }

    @Test
    void refusesMoreThanFourDimensionsOrPathsThatAreNotPaths() {
        assertThrows(IllegalArgumentException.class, () -> rules(Map.of("t", type(null, "a", "b", "c", "d", "e"))));
        assertThrows(IllegalArgumentException.class, () -> rules(Map.of("t", type(null, "a'); DROP TABLE x; --"))));
        assertThrows(IllegalArgumentException.class, () -> rules(Map.of("t", type("a b"))));
    }

    @Test
    void extractsScalarDimensionsCutToTheirLimitAndDecimalValues() throws Exception {
        TypeRules.Rule rule = rules(Map.of("t", type("q", "meter", "attributes.route", "obj"))).rule("t");
        String longValue = "r".repeat(500);
        JsonNode data = json("{\"meter\":\"api.call\",\"attributes\":{\"route\":\"" + longValue + "\"},\"obj\":{\"a\":1},"
                + "\"q\":\"12.50\"}");
        Map<String, String> dims = TypeRules.dimensions(rule, data);
        assertEquals("api.call", dims.get("meter"));
        assertEquals(TypeRules.MAX_VALUE_LENGTH, dims.get("attributes.route").length());
        assertEquals(2, dims.size(), "objects are not dimension values");
        assertEquals(new BigDecimal("12.50"), TypeRules.value(rule, data));
        assertEquals(new BigDecimal("3"), TypeRules.value(rule, json("{\"q\":3}")));
        assertNull(TypeRules.value(rule, json("{\"q\":\"lots\"}")));
        assertNull(TypeRules.value(rule, json("{\"q\":\"1e999999\"}")));
        assertNull(TypeRules.value(rule, json("{\"q\":true}")));
        assertNull(TypeRules.value(rule, json("{}")));
    }
}
