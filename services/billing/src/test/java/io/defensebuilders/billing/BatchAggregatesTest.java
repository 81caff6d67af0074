package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.UsageV1;

/** The in-memory fold of a batch, without a database. */
class BatchAggregatesTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void latestIsDecidedByTimeThenSourceThenIdInByteOrderWhateverTheArrivalOrder() {
        assertTrue(BatchAggregates.later(T.plusNanos(1000), "a", "a", T, "z", "z"));
        assertTrue(BatchAggregates.later(T, "b", "a", T, "a", "z"));
        assertTrue(BatchAggregates.later(T, "a", "b", T, "a", "a"));
        assertFalse(BatchAggregates.later(T, "a", "a", T, "a", "a"));
        // code point order, as PostgreSQL's "C" collation compares UTF-8 bytes: U+1F600 sorts after U+FFFD,
        // although its UTF-16 form (a surrogate pair) sorts before it
        assertTrue(BatchAggregates.compareCodePoints("\uD83D\uDE00", "\uFFFD") > 0);
        assertTrue(BatchAggregates.compareCodePoints("ab", "a") > 0);

        Meter latest = meter(1, Aggregation.LATEST, new ValueProperty.Quantity(), List.of());
        for (List<String> order : List.of(List.of("x", "y"), List.of("y", "x"))) {
            BatchAggregates agg = new BatchAggregates();
            for (String id : order) {
                UsageEvent e = event(id, "t", "g", id.equals("x") ? "1" : "2", T, Map.of());
                agg.add(e, new MeterSet.Contribution(latest, "{}", e.usage().quantity(), null));
            }
            BatchAggregates.Bucket b = agg.buckets().values().iterator().next();
            assertEquals(new BigDecimal("2"), b.latestValue());
            assertEquals("y", b.latestId());
            assertEquals(2, b.count());
            assertEquals(new BigDecimal("3"), b.sum());
            assertEquals(new BigDecimal("2"), b.max());
        }
    }

    @Test
    void groupValuesAreCanonicalJsonAndEventsMetersCannotReadAreRejectedWhole() throws Exception {
        Meter count = meter(1, Aggregation.COUNT, null, List.of("route", "method"));
        Meter sum = meter(2, Aggregation.SUM, ValueProperty.parse("attributes.bytes").orElseThrow(), List.of());
        MeterSet set = new MeterSet(List.of(count, sum));
        UsageEvent e = event("1", "t", "g", "1", T, Map.of("method", "GET", "route", "a\"b", "bytes", "12.50"));
        List<MeterSet.Contribution> c = set.contributions(e);
        assertEquals("{\"method\":\"GET\",\"route\":\"a\\\"b\"}", c.get(0).groupValues());
        assertEquals(new BigDecimal("12.50"), c.get(1).number());
        assertEquals(List.of(), set.contributions(event("2", "t", "other", "1", T, Map.of())));

        UsageEvent noBytes = event("3", "t", "g", "1", T, Map.of("route", "a"));
        assertTrue(assertThrows(MeterSet.Rejection.class, () -> set.contributions(noBytes)).getMessage()
                .contains("needs attributes.bytes"));
        UsageEvent nul = event("4", "t", "g", "1", T, Map.of("route", "a\u0000", "bytes", "1"));
        assertTrue(assertThrows(MeterSet.Rejection.class, () -> set.contributions(nul)).getMessage().contains("NUL"));
    }

    private static Meter meter(long id, Aggregation aggregation, ValueProperty value, List<String> groupBy) {
        return new Meter(id, "m" + id, null, "g", aggregation, value, groupBy, T, T);
    }

    private static UsageEvent event(String id, String tenant, String meter, String quantity, Instant at,
            Map<String, String> attributes) {
        return new UsageEvent("/s", id, new UsageV1(tenant, meter, new BigDecimal(quantity), "u", at, attributes));
    }
}
