package io.defensebuilders.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The rollups under a randomized stream: events spread over three days, delivered in random order (late by up to
 * days), a third of them more than once, in several waves so redeliveries cross batches and arrive after their
 * hour was already rolled up. Every minute, hour and day must hold exactly what the distinct events add up to, and
 * every hour must equal the sum of its minutes, every day the sum of its hours.
 */
@QuarkusTest
class RollupInvariantTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "dbp.analytics.ingest.group-id")
    String group;

    private final String tenant = TestClient.newTenant();

    @Test
    void rollupsStayExactUnderLateAndDuplicateEvents() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Instant start = Events.BASE.minus(Duration.ofDays(2));
        String[] kinds = { "a", "b", "c" };
        String[] regions = { "eu", "us" };
        List<Map<String, Object>> unique = new ArrayList<>();
        // expected per granularity: "bucket|kind|region" -> [events, sum]
        Map<String, Map<String, Object[]>> expected = new TreeMap<>();
        for (String g : List.of("minute", "hour", "day")) {
            expected.put(g, new TreeMap<>());
        }
        for (int i = 0; i < 1500; i++) {
            Instant t = start.plusSeconds(random.nextInt(3 * 24 * 3600 - 3600));
            String kind = kinds[random.nextInt(kinds.length)];
            String region = regions[random.nextInt(regions.length)];
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(100000), 3);
            unique.add(Events.test(tenant, t, kind, region, amount.toPlainString()));
            for (var g : List.of(Map.entry("minute", ChronoUnit.MINUTES), Map.entry("hour", ChronoUnit.HOURS),
                    Map.entry("day", ChronoUnit.DAYS))) {
                String key = t.truncatedTo(g.getValue()) + "|" + kind + "|" + region;
                Object[] acc = expected.get(g.getKey()).computeIfAbsent(key, k -> new Object[] { 0L, BigDecimal.ZERO });
                acc[0] = (Long) acc[0] + 1;
                acc[1] = ((BigDecimal) acc[1]).add(amount);
            }
        }
        List<Map<String, Object>> stream = new ArrayList<>(unique);
        for (int i = 0; i < 500; i++) {
            stream.add(unique.get(random.nextInt(unique.size())));
        }
        Collections.shuffle(stream, random);
        // waves: each awaited before the next, so later waves redeliver and backfill already rolled-up buckets
        int waves = 4;
        int size = (stream.size() + waves - 1) / waves;
        for (int w = 0; w < waves; w++) {
            new Events().send(Topics.USAGE_V1, stream.subList(w * size, Math.min(stream.size(), (w + 1) * size)))
                    .awaitConsumed(group);
        }
        // and the first wave once more, whole
        new Events().send(Topics.USAGE_V1, stream.subList(0, size)).awaitConsumed(group);

        Db db = new Db(dataSource);
        for (String g : List.of("minute", "hour", "day")) {
            Map<String, String> actual = new TreeMap<>();
            for (List<String> r : db.rows("SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                    + " dims ->> 'kind', dims ->> 'region', events, value_sum FROM rollup_" + g + " WHERE tenant = ?",
                    tenant)) {
                actual.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2),
                        r.get(3) + " " + new BigDecimal(r.get(4)).stripTrailingZeros().toPlainString());
            }
            Map<String, String> want = new TreeMap<>();
            expected.get(g).forEach((k, v) -> want.put(k, v[0] + " "
                    + ((BigDecimal) v[1]).stripTrailingZeros().toPlainString()));
            assertEquals(want, actual, "rollup_" + g + " (seed " + seed + ")");
        }
        assertEquals(1500, db.count("SELECT count(*) FROM event WHERE tenant = ?", tenant));

        // the invariant, checked in SQL over every row of the tenant
        assertEquals(0, db.count("""
                SELECT count(*) FROM rollup_hour h FULL JOIN (
                    SELECT date_trunc('hour', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, tenant, type, dims,
                           sum(events) AS events, sum(value_sum) AS value_sum
                    FROM rollup_minute WHERE tenant = ? GROUP BY 1, 2, 3, 4) m
                  ON h.bucket = m.bucket AND h.tenant = m.tenant AND h.type = m.type AND h.dims = m.dims
                WHERE (h.tenant = ? OR m.tenant = ?)
                  AND (h.events IS DISTINCT FROM m.events OR h.value_sum IS DISTINCT FROM m.value_sum)""",
                tenant, tenant, tenant), "hour == sum(minutes), seed " + seed);
        assertEquals(0, db.count("""
                SELECT count(*) FROM rollup_day d FULL JOIN (
                    SELECT date_trunc('day', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, tenant, type, dims,
                           sum(events) AS events, sum(value_sum) AS value_sum
                    FROM rollup_hour WHERE tenant = ? GROUP BY 1, 2, 3, 4) h
                  ON d.bucket = h.bucket AND d.tenant = h.tenant AND d.type = h.type AND d.dims = h.dims
                WHERE (d.tenant = ? OR h.tenant = ?)
                  AND (d.events IS DISTINCT FROM h.events OR d.value_sum IS DISTINCT FROM h.value_sum)""",
                tenant, tenant, tenant), "day == sum(hours), seed " + seed);

        // and through the API: per hour from the hour rollup equals per hour computed from minutes
        Api viewer = Api.viewer(tenant);
        String range = "[\"" + start + "\", \"" + start.plus(Duration.ofDays(3)) + "\"]";
        var fromHours = viewer.query("{\"metrics\":[\"events\",\"value\"],\"date_range\":" + range
                + ",\"dimensions\":[\"time:hour\"]}");
        // the last hour has no events: ending a minute early changes nothing but forces the minute rollup
        var fromMinutes = viewer.query("{\"metrics\":[\"events\",\"value\"],\"date_range\":[\"" + start
                + "\", \"" + start.plus(Duration.ofDays(3)).minusSeconds(60) + "\"],\"dimensions\":[\"time:hour\"]}");
        assertEquals("hour", fromHours.getString("meta.rollup"));
        assertEquals("minute", fromMinutes.getString("meta.rollup"));
        assertEquals(fromHours.getList("results"), fromMinutes.getList("results"));
        assertEquals(1500, fromHours.getList("results.metrics", List.class).stream()
                .mapToLong(m -> ((Number) m.get(0)).longValue()).sum());
    }
}
