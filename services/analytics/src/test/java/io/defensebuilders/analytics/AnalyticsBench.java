package io.defensebuilders.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.analytics.messaging.EventConsumer;
import io.defensebuilders.analytics.messaging.IngestLoop;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The analytics bench (bench/analytics.sh; not part of the test suite: it runs only with -Ddbp.bench=true). Two
 * parts, against the real PostgreSQL and Kafka the build starts:
 * <ol>
 * <li>ingest: N usage.v1 events (1% duplicates) over 100 tenants, 90% in the last hour and 10% late (up to 29
 * days; -Ddbp.bench.late-share), produced to the real topic
 * as fast as the producer goes while the service consumes; rate = distinct events / (first send .. last offset
 * commit);</li>
 * <li>queries: rollups for 30 days x 100 tenants (one minute row per tenant and minute, three meters, and the hours
 * and days that add up to them) are seeded in SQL, then typical queries are timed over HTTP, closed loop, one
 * client: p50, p99, mean.</li>
 * </ol>
 * Results go to bench/results/analytics-*.json and to standard output as a Markdown table.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "dbp.bench", matches = "true")
class AnalyticsBench {

    private static final String[] METERS = { "api.call", "artifact.download", "environment.minutes" };

    @Inject
    DataSource dataSource;

    @Inject
    EventConsumer consumer;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "dbp.analytics.ingest.group-id")
    String group;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final StringBuilder table = new StringBuilder();

    @Test
    void bench() throws Exception {
        int events = Integer.getInteger("dbp.bench.events", 200_000);
        int tenants = Integer.getInteger("dbp.bench.tenants", 100);
        int days = Integer.getInteger("dbp.bench.days", 30);
        int iterations = Integer.getInteger("dbp.bench.iterations", 200);
        results.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "loadAverage",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        ingest(events, tenants);
        seed(tenants, days);
        queries(tenants, iterations);
        write();
    }

    private void ingest(int n, int tenants) throws Exception {
        Random random = new Random(42);
        int duplicates = n / 100;
        int distinct = n - duplicates;
        long now = Instant.now().getEpochSecond();
        long span = Duration.ofDays(29).toSeconds();
        double lateShare = Double.parseDouble(System.getProperty("dbp.bench.late-share", "0.1"));
        List<byte[]> sent = new ArrayList<>(distinct);
        Events producer = new Events();
        IngestLoop.Stats before = consumer.main().orElseThrow().stats();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] value;
            String tenant;
            if (i % 100 == 99) {
                value = sent.get(random.nextInt(sent.size()));
                tenant = "ingest";
            } else {
                tenant = "ingest-%03d".formatted(random.nextInt(tenants));
                // most events are fresh (the last hour); a share arrives late, anywhere in the last 29 days
                Instant t = Instant.ofEpochSecond(now - (random.nextDouble() < lateShare ? random.nextLong(span)
                        : random.nextLong(3600)));
                String meter = METERS[random.nextInt(METERS.length)];
                value = ("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench/gateway\","
                        + "\"type\":\"io.defensebuilders.usage.v1\",\"time\":\"" + t + "\",\"tenant\":\"" + tenant
                        + "\",\"datacontenttype\":\"application/json\",\"data\":{\"tenant\":\"" + tenant
                        + "\",\"meter\":\"" + meter + "\",\"quantity\":1,\"subject\":\"u" + random.nextInt(50)
                        + "\",\"occurredAt\":\"" + t + "\",\"attributes\":{\"route\":\"r" + random.nextInt(6)
                        + "\",\"method\":\"GET\",\"status\":\"200\"}}}").getBytes(StandardCharsets.UTF_8);
                sent.add(value);
            }
            producer.sendRaw(Topics.USAGE_V1, tenant, value);
        }
        producer.flush();
        double produced = (System.nanoTime() - t0) / 1e9;
        producer.awaitConsumed(group);
        double total = (System.nanoTime() - t0) / 1e9;
        IngestLoop.Stats after = consumer.main().orElseThrow().stats();
        long accepted = after.accepted() - before.accepted();
        long dups = after.duplicates() - before.duplicates();
        assertEquals(distinct, accepted, "every distinct event ingested once");
        Timer batch = registry.find("dbp.analytics.ingest.batch").timer();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", n);
        r.put("lateShare", lateShare);
        r.put("distinct", distinct);
        r.put("accepted", accepted);
        r.put("duplicates", dups);
        r.put("produceSeconds", round(produced));
        r.put("firstSendToLastCommitSeconds", round(total));
        r.put("recordsPerSecond", Math.round(n / total));
        r.put("batchMeanMs", round(batch.mean(java.util.concurrent.TimeUnit.MILLISECONDS)));
        r.put("batchMaxMs", round(batch.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
        for (String step : List.of("ledger", "raw", "rollups")) {
            Timer t = registry.find("dbp.analytics.ingest.step").tag("step", step).timer();
            r.put(step + "MeanMs", round(t.mean(java.util.concurrent.TimeUnit.MILLISECONDS)));
        }
        results.put("ingest", r);
        table.append("| ingest | ").append(n).append(" records (").append(dups).append(" duplicates), ")
                .append(tenants).append(" tenants, ")
                .append(Math.round(lateShare * 100)).append("% late (up to 29 days), the rest in the last hour | ")
                .append(round(total)).append(" s | ")
                .append(Math.round(n / total)).append(" records/s |\n");
    }

    private void seed(int tenants, int days) throws Exception {
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(days - 1L);
        String from = first.atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(
                    """
                            INSERT INTO rollup_minute (bucket, tenant, type, dims, events, value_sum)
                            SELECT m, 'bench-' || lpad(t::text, 3, '0'), 'io.defensebuilders.usage.v1',
                                   jsonb_build_object('meter', (ARRAY['api.call','artifact.download','environment.minutes'])[1 + (extract(epoch FROM m)::bigint / 60 + t) %% 3]),
                                   1 + (t + extract(epoch FROM m)::bigint / 60) %% 7, 1 + (t + extract(epoch FROM m)::bigint / 60) %% 7
                            FROM generate_series(0, %d) AS t,
                                 generate_series('%s'::timestamptz, now() - interval '1 minute', interval '1 minute') AS m
                            ON CONFLICT DO NOTHING"""
                            .formatted(tenants - 1, from));
            for (String g : List.of("hour", "day")) {
                st.execute(
                        """
                                INSERT INTO rollup_%1$s (bucket, tenant, type, dims, events, value_sum)
                                SELECT date_trunc('%1$s', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', tenant, type, dims, sum(events), sum(value_sum)
                                FROM rollup_minute WHERE tenant LIKE 'bench-%%' GROUP BY 1, 2, 3, 4
                                ON CONFLICT DO NOTHING"""
                                .formatted(g));
            }
            st.execute("ANALYZE rollup_minute");
            st.execute("ANALYZE rollup_hour");
            st.execute("ANALYZE rollup_day");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Db db = new Db(dataSource);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seedSeconds", round(seconds));
        for (String g : List.of("minute", "hour", "day")) {
            r.put(g + "Rows", db.count("SELECT count(*) FROM rollup_" + g));
        }
        results.put("data", r);
        table.append("| seed | ").append(days).append(" days x ").append(tenants).append(" tenants: ")
                .append(r.get("minuteRows")).append(" minute, ").append(r.get("hourRows")).append(" hour, ")
                .append(r.get("dayRows")).append(" day rows | ").append(round(seconds)).append(" s | |\n");
    }

    private void queries(int tenants, int iterations) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://localhost:" + port + Api.QUERY);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        String week = "[\"" + now.minus(Duration.ofDays(7)).plusSeconds(60 * 17) + "\",\"" + now + "\"]";
        Map<String, IntFunction<String[]>> cases = new LinkedHashMap<>();
        // each case: tenant of the caller (or null for the platform admin), body
        cases.put("tenant, 30d per day (day rollup)", i -> new String[] { tenant(i, tenants),
                "{\"metrics\":[\"events\",\"value\"],\"date_range\":\"30d\",\"dimensions\":[\"time:day\"]}" });
        cases.put("tenant, 24h per hour and meter (hour rollup)", i -> new String[] { tenant(i, tenants),
                "{\"metrics\":[\"value\"],\"date_range\":\"24h\",\"dimensions\":[\"time:hour\",\"data:meter\"]}" });
        cases.put("tenant, 60m per minute (minute rollup)", i -> new String[] { tenant(i, tenants),
                "{\"metrics\":[\"events\"],\"date_range\":\"60m\",\"dimensions\":[\"time:minute\"]}" });
        cases.put("tenant, 7d totals per meter, filtered (day rollup)", i -> new String[] { tenant(i, tenants),
                "{\"metrics\":[\"events\",\"value\"],\"date_range\":\"7d\",\"dimensions\":[\"data:meter\"],"
                        + "\"filters\":[[\"is_not\",\"data:meter\",[\"api.call\"]]]}" });
        cases.put("tenant, 7d unaligned range per day (minute rollup)", i -> new String[] { tenant(i, tenants),
                "{\"metrics\":[\"events\"],\"date_range\":" + week + ",\"dimensions\":[\"time:day\"]}" });
        cases.put("platform, 30d top 10 tenants by value (day rollup)", i -> new String[] { null,
                "{\"metrics\":[\"value\"],\"date_range\":\"30d\",\"dimensions\":[\"event:tenant\"],\"tenant\":\"*\","
                        + "\"order_by\":[[\"value\",\"desc\"]],\"pagination\":{\"limit\":10}}" });
        cases.put("platform, 24h per hour (hour rollup)", i -> new String[] { null,
                "{\"metrics\":[\"events\"],\"date_range\":\"24h\",\"dimensions\":[\"time:hour\"],\"tenant\":\"*\"}" });

        Map<String, String> tokens = new LinkedHashMap<>();
        Map<String, Object> r = new LinkedHashMap<>();
        for (var c : cases.entrySet()) {
            long[] nanos = new long[iterations];
            for (int i = -20; i < iterations; i++) {
                String[] q = c.getValue().apply(Math.abs(i));
                String token = tokens.computeIfAbsent(q[0] == null ? "*" : q[0], t -> t.equals("*")
                        ? InternalJwtResource.issuer().token("bootstrap", "root", "admin", "platform-admin")
                                .expiresIn(Duration.ofMinutes(30)).sign()
                        : InternalJwtResource.issuer().token(t, "viewer", "viewer").expiresIn(Duration.ofMinutes(30)).sign());
                HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(q[1])).build();
                long s = System.nanoTime();
                HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                long e = System.nanoTime() - s;
                if (resp.statusCode() != 200) {
                    throw new AssertionError(c.getKey() + ": " + resp.statusCode() + " " + resp.body());
                }
                if (i == 0 && new ObjectMapper().readTree(resp.body()).get("results").isEmpty()) {
                    throw new AssertionError(c.getKey() + " found nothing: " + resp.body());
                }
                if (i >= 0) {
                    nanos[i] = e;
                }
            }
            Arrays.sort(nanos);
            double p50 = nanos[(int) Math.ceil(0.50 * iterations) - 1] / 1e6;
            double p99 = nanos[(int) Math.ceil(0.99 * iterations) - 1] / 1e6;
            double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
            r.put(c.getKey(), Map.of("p50Ms", round(p50), "p99Ms", round(p99), "meanMs", round(mean),
                    "iterations", iterations));
            table.append("| query | ").append(c.getKey()).append(" | p50 ").append(round(p50)).append(" ms | p99 ")
                    .append(round(p99)).append(" ms |\n");
        }
        results.put("queries", r);
    }

    private static String tenant(int i, int tenants) {
        return "bench-%03d".formatted(i % tenants);
    }

    private void write() throws Exception {
        Path dir = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("bench/results"))) {
                dir = p.resolve("bench/results");
                break;
            }
        }
        String stamp = DateTimeFormatter.ofPattern("yyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results);
        if (dir != null) {
            Files.writeString(dir.resolve("analytics-" + stamp + ".json"), json);
        }
        System.out.println("\n=== analytics bench " + stamp + " ===\n| part | what | time | figure |\n|---|---|---:|---:|\n"
                + table + "\n" + json);
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
