package io.defensebuilders.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.ServiceLaunch;

/**
 * Billing's exactly-once proof and ingest bench (bench/billing-fault.sh, bench/billing-ingest.sh).
 *
 * <p>
 * Runs its own billing process (the built quarkus-run.jar, started with ServiceLaunch as the local runtime starts it, on
 * its own port, topic and consumer group, against the platform's PostgreSQL and Kafka), subscribes a few fresh tenants to
 * the {@code pro} plan, produces N {@code usage.v1} CloudEvents (as the gateway's UsageRecorder writes them) of which
 * a share are exact re-sends (same source and id, some adjacent, some far apart), and then compares each tenant's
 * invoice preview with totals computed here, independently of billing's PricingEngine.
 *
 * <ul>
 * <li>{@code --mode fault}: billing consumes while the producer sends; at {@code --kill-at} of the records consumed
 * (committed offsets) the billing JVM gets SIGKILL and is started again.</li>
 * <li>{@code --mode ingest}: the producer pre-loads all records with billing stopped; billing is then started and
 * drains the backlog: consumption rate and lag from the committed offsets over time.</li>
 * </ul>
 */
public final class BillingFault {

    private static final String SOURCE = "/services/gateway";
    private static final String[] ROUTES = { "sdk-registry", "billing", "orbital", "marketplace" };
    /** Shares of the unique events per tenant: one far into the second tier, one in the first, one barely, one free. */
    private static final double[] SHARES = { 0.46, 0.30, 0.19, 0.05 };

    // ---- the pro plan as V3__plans_subscriptions.sql publishes it (written here, not read from billing) ----------
    private static final BigDecimal PRO_FLAT = new BigDecimal("99.00");
    private static final long PRO_INCLUDED = 100_000;
    private static final long PRO_TIER1_UP_TO = 1_000_000;
    private static final BigDecimal PRO_TIER1 = new BigDecimal("0.0005");
    private static final BigDecimal PRO_TIER2 = new BigDecimal("0.0002");

    /** GRADUATED after the included quantity; one HALF_EVEN rounding per line to cents. */
    static BigDecimal proUsage(long calls) {
        long billable = Math.max(0, calls - PRO_INCLUDED);
        long t1 = Math.min(billable, PRO_TIER1_UP_TO);
        long t2 = billable - t1;
        return PRO_TIER1.multiply(BigDecimal.valueOf(t1)).add(PRO_TIER2.multiply(BigDecimal.valueOf(t2)))
                .setScale(2, RoundingMode.HALF_EVEN);
    }

    private final Map<String, String> opts;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final CloudEventCodec codec = new CloudEventCodec(json);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = Instant.now().toString().replaceAll("[^0-9]", "").substring(2, 14);
    private final long idBits = new SplittableRandom().nextLong();
    private final String kafka;
    private final int port;
    private final String topic;
    private final String group;
    private final Path repo;
    private final Path log;
    private final List<String> tenants = new ArrayList<>();
    private final List<Map<String, Object>> samples = new ArrayList<>();
    private ServerProcess billing;
    private String apiKey;
    private Instant periodStart;
    private Instant eventsTo;

    private BillingFault(Map<String, String> opts) {
        this.opts = opts;
        this.kafka = opts.getOrDefault("kafka", "127.0.0.1:9092");
        this.port = Integer.parseInt(opts.getOrDefault("billing-port", "18083"));
        this.topic = "bench.usage.v1." + run;
        this.group = "bench-billing-" + run;
        this.repo = Path.of(opts.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        this.log = repo.resolve("bench/results/logs/billing-" + run + ".log");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        System.exit(new BillingFault(opts).run());
    }

    private int run() throws Exception {
        String mode = opts.getOrDefault("mode", "fault");
        int total = Integer.parseInt(opts.getOrDefault("events", "1000000"));
        double dupRate = Double.parseDouble(opts.getOrDefault("dup-rate", "0.01"));
        // one or more kill points, as shares of the records consumed: --kill-at 0.5 or --kill-at 0.2,0.4,0.6,0.8
        double[] killAt = java.util.Arrays.stream(opts.getOrDefault("kill-at", "0.5").split(","))
                .mapToDouble(Double::parseDouble).sorted().toArray();
        Files.createDirectories(log.getParent());
        say("run " + run + ": mode " + mode + ", " + total + " records, " + dupRate * 100 + "% duplicates, topic "
                + topic + ", group " + group + ", billing on :" + port + " (log " + repo.relativize(log) + ")");
        apiKey = Files.readString(Path.of(opts.get("key-file"))).trim();

        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(ap)) {
            int partitions = admin.describeTopics(List.of("usage.v1")).allTopicNames().get().get("usage.v1")
                    .partitions().size();
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            say("topic " + topic + " with " + partitions + " partitions (as usage.v1)");
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }

            startBilling();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            periodStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
            eventsTo = Instant.now().minusSeconds(60);
            for (int t = 0; t < SHARES.length; t++) {
                String tenant = "bench-bf-" + run + "-" + t;
                tenants.add(tenant);
                send("POST", "/api/v1/billing/subscriptions", Map.of("plan", "pro", "tenant", tenant), 201);
            }
            say("subscribed " + tenants + " to pro from " + today + " (period " + today + " .. " + today.plusMonths(1) + ")");
            if (mode.equals("ingest")) {
                stopBilling(false);
            }

            // ---- the event sequence: unique events 0..U-1, duplicates interleaved -----------------------------
            int dups = (int) Math.round(total * dupRate);
            int unique = total - dups;
            long[] perTenant = new long[SHARES.length];
            int[] sequence = new int[total]; // event index per record sent
            SplittableRandom rnd = new SplittableRandom(42);
            boolean[] isDup = new boolean[total];
            for (int d = 0; d < dups; d++) {
                int slot;
                do {
                    slot = 1 + rnd.nextInt(total - 1);
                } while (isDup[slot]);
                isDup[slot] = true;
            }
            int next = 0;
            int adjacent = 0;
            int far = 0;
            for (int i = 0; i < total; i++) {
                if (isDup[i] && next > 0) {
                    if (rnd.nextBoolean()) {
                        sequence[i] = next - 1; // the event just sent, again
                        adjacent++;
                    } else {
                        sequence[i] = rnd.nextInt(next); // an event sent anywhere earlier
                        far++;
                    }
                } else {
                    sequence[i] = next++;
                }
            }
            if (next != unique) {
                // a duplicate slot could not be one (slot 0): keep the counts honest
                unique = next;
                dups = total - unique;
            }
            for (int e = 0; e < unique; e++) {
                perTenant[tenantOf(e, unique)]++;
            }
            say("sequence: " + unique + " distinct events, " + dups + " duplicate records (" + adjacent + " adjacent, "
                    + far + " far apart)");

            Map<TopicPartition, Long> start = new HashMap<>();
            admin.listOffsets(tps.stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().forEach((tp, info) -> start.put(tp, info.offset()));

            AtomicLong produced = new AtomicLong();
            final int distinct = unique;
            AtomicReference<Exception> produceError = new AtomicReference<>();
            long t0 = System.nanoTime();
            Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                try {
                    produce(sequence, distinct, produced);
                } catch (Exception e) {
                    produceError.set(e);
                }
            });
            Map<String, Object> result0 = new LinkedHashMap<>();
            List<Map<String, Object>> kills = new ArrayList<>();
            int nextKill = 0;
            long killedAt = -1;
            long restartedAt = -1;
            long producedDoneAt = -1;
            long drainStart = -1;
            long lastConsumed = -1;
            long lastMovedAt = System.nanoTime();
            if (mode.equals("ingest")) {
                producer.join();
                producedDoneAt = System.nanoTime();
                say(String.format("pre-loaded %,d records in %.1f s (%,.0f records/s); starting billing", total,
                        (producedDoneAt - t0) / 1e9, total / ((producedDoneAt - t0) / 1e9)));
                startBilling();
                drainStart = System.nanoTime();
            }
            long lastPrint = 0;
            while (true) {
                long now = System.nanoTime();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                long consumed = 0;
                for (TopicPartition tp : tps) {
                    OffsetAndMetadata o = committed.get(tp);
                    if (o != null) {
                        consumed += o.offset() - start.get(tp);
                    }
                }
                long prod = produced.get();
                long lag = prod - consumed;
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("t", Math.round((now - t0) / 1e6) / 1000.0);
                s.put("produced", prod);
                s.put("consumed", consumed);
                s.put("lag", lag);
                s.put("load", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                samples.add(s);
                if (consumed != lastConsumed) {
                    lastConsumed = consumed;
                    lastMovedAt = now;
                }
                if (now - lastPrint > 5_000_000_000L) {
                    say(String.format("t=%5.1fs produced %,9d consumed %,9d lag %,9d load %s", (now - t0) / 1e9, prod,
                            consumed, lag, s.get("load")));
                    lastPrint = now;
                }
                if (produceError.get() != null) {
                    throw produceError.get();
                }
                if (producedDoneAt < 0 && !producer.isAlive()) {
                    producedDoneAt = now;
                    say(String.format("producer done: %,d records in %.1f s", total, (now - t0) / 1e9));
                }
                if (mode.equals("fault") && nextKill < killAt.length && consumed >= killAt[nextKill] * total) {
                    nextKill++;
                    killedAt = now;
                    s.put("event", "SIGKILL");
                    Map<String, Object> k = new LinkedHashMap<>();
                    k.put("atSeconds", (now - t0) / 1e9);
                    k.put("committedAtKill", consumed);
                    // what the process had counted, scraped just before it dies (its counters die with it)
                    k.put("billingMetricsBeforeKill", billingMetrics());
                    kills.add(k);
                    say(String.format("SIGKILL billing (pid %d) at %,d of %,d records consumed", billing.pid(), consumed,
                            total));
                    stopBilling(true);
                    startBilling();
                    restartedAt = System.nanoTime();
                    k.put("restartSeconds", (restartedAt - killedAt) / 1e9);
                    say(String.format("billing restarted and ready in %.1f s", (restartedAt - killedAt) / 1e9));
                }
                if (producedDoneAt > 0 && consumed >= total) {
                    break;
                }
                if (now - lastMovedAt > 300_000_000_000L) {
                    throw new IllegalStateException("no progress for 5 minutes; see " + log);
                }
                Thread.sleep(250);
            }
            long end = System.nanoTime();
            double seconds = (end - t0) / 1e9;
            say(String.format("all %,d records consumed after %.1f s", total, seconds));

            // ---- figures ----------------------------------------------------------------------------------------
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("run", run);
            result.putAll(result0);
            result.put("mode", mode);
            result.put("records", total);
            result.put("distinctEvents", unique);
            result.put("duplicateRecords", dups);
            result.put("duplicatesAdjacent", adjacent);
            result.put("duplicatesFarApart", far);
            result.put("partitions", tps.size());
            result.put("seconds", seconds);
            result.put("producerSeconds", (producedDoneAt - t0) / 1e9);
            result.put("kills", kills);
            rates(result, drainStart > 0 ? (drainStart - t0) / 1e9 : 0);
            Map<String, Object> metrics = billingMetrics();
            result.put("billingMetricsSinceLastStart", metrics);

            // ---- the invoices ----------------------------------------------------------------------------------
            boolean pass = true;
            List<Map<String, Object>> rows = new ArrayList<>();
            System.out.println();
            System.out.println(
                    "| tenant | distinct events | expected calls | actual calls | expected usage | actual usage | expected total | actual total | result |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            for (int t = 0; t < tenants.size(); t++) {
                JsonNode inv = json.readTree(get("/api/v1/billing/invoices/preview?tenant=" + tenants.get(t)));
                BigDecimal actualQty = BigDecimal.ZERO;
                BigDecimal actualUsage = BigDecimal.ZERO;
                for (JsonNode line : inv.get("lines")) {
                    if ("USAGE".equals(line.path("type").asText()) && "api.call".equals(line.path("meter").asText())) {
                        actualQty = actualQty.add(line.get("quantity").decimalValue());
                        actualUsage = actualUsage.add(line.get("amount").decimalValue());
                    }
                }
                BigDecimal actualTotal = inv.get("total").decimalValue();
                BigDecimal expUsage = proUsage(perTenant[t]);
                BigDecimal expTotal = PRO_FLAT.add(expUsage);
                boolean ok = actualQty.compareTo(BigDecimal.valueOf(perTenant[t])) == 0
                        && actualUsage.compareTo(expUsage) == 0 && actualTotal.compareTo(expTotal) == 0;
                pass &= ok;
                System.out.printf("| %s | %,d | %,d | %s | %s | %s | %s | %s | %s |%n", tenants.get(t), perTenant[t],
                        perTenant[t], actualQty.toPlainString(), expUsage, actualUsage.toPlainString(), expTotal,
                        actualTotal.toPlainString(), ok ? "PASS" : "FAIL");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tenant", tenants.get(t));
                row.put("expectedCalls", perTenant[t]);
                row.put("actualCalls", actualQty);
                row.put("expectedUsage", expUsage);
                row.put("actualUsage", actualUsage);
                row.put("expectedTotal", expTotal);
                row.put("actualTotal", actualTotal);
                row.put("pass", ok);
                rows.add(row);
            }
            System.out.println();
            result.put("invoices", rows);
            result.put("pass", pass);
            result.put("samples", samples);
            Path out = repo.resolve("bench/results/billing-" + mode + "-" + run + ".json");
            json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
            say("results: " + repo.relativize(out));
            stopBilling(false);
            admin.deleteTopics(List.of(topic)).all().get();
            admin.deleteConsumerGroups(List.of(group)).all().get();
            say(pass ? "PASS: every invoice equals the independently computed total to the cent"
                    : "FAIL: an invoice differs from the expected total");
            return pass ? 0 : 1;
        } finally {
            if (billing != null && billing.isAlive()) {
                stopBilling(false);
            }
        }
    }

    /** Event e's tenant: contiguous share blocks would put one tenant per phase, so interleave by a hash. */
    private static int tenantOf(int e, int unique) {
        double u = ((e * 0x9E3779B97F4A7C15L) >>> 11) / (double) (1L << 53);
        double acc = 0;
        for (int t = 0; t < SHARES.length; t++) {
            acc += SHARES[t];
            if (u < acc) {
                return t;
            }
        }
        return SHARES.length - 1;
    }

    /** The record of event e, byte for byte the same whenever it is built (what a producer retry re-sends). */
    private ProducerRecord<String, String> record(int e, int unique) {
        String tenant = tenants.get(tenantOf(e, unique));
        long spanMs = eventsTo.toEpochMilli() - periodStart.toEpochMilli();
        Instant at = Instant.ofEpochMilli(periodStart.toEpochMilli() + (long) ((double) e / unique * spanMs))
                .truncatedTo(ChronoUnit.MILLIS);
        String route = ROUTES[e % ROUTES.length];
        String id = new UUID(idBits, e).toString();
        UsageV1 data = new UsageV1(tenant, UsageV1.API_CALL, BigDecimal.ONE, "bench-key-" + (e % 7), at, Map.of("route",
                route, "method", "GET", "status", "200", "bytesIn", "0", "bytesOut", Integer.toString(200 + e % 1000),
                "requestId", "bf-" + e));
        CloudEvent<UsageV1> event = CloudEvent.of(id, SOURCE, UsageV1.TYPE, tenant, route, at, data);
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, tenant, codec.encode(event));
        r.headers().add(new RecordHeader("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private void produce(int[] sequence, int unique, AtomicLong produced) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-billing-" + run);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int e : sequence) {
                producer.send(record(e, unique), (md, err) -> {
                    if (err != null) {
                        failed.compareAndSet(null, err);
                    } else {
                        produced.incrementAndGet();
                    }
                });
                if (failed.get() != null) {
                    throw failed.get();
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    /** Consumption rate and lag from the samples (after the drain start for a pre-loaded backlog). */
    private void rates(Map<String, Object> result, double from) {
        double first = -1;
        double last = -1;
        long c0 = 0;
        long c1 = 0;
        long maxLag = 0;
        double lagSum = 0;
        int n = 0;
        double bestWindow = 0;
        List<Map<String, Object>> window = new ArrayList<>();
        for (Map<String, Object> s : samples) {
            double t = (Double) s.get("t");
            long consumed = (Long) s.get("consumed");
            long lag = (Long) s.get("lag");
            if (t < from) {
                continue;
            }
            maxLag = Math.max(maxLag, lag);
            lagSum += lag;
            n++;
            if (consumed > 0 && first < 0) {
                first = t;
                c0 = consumed;
            }
            if (first >= 0 && consumed > c1) {
                last = t;
                c1 = consumed;
            }
            window.add(s);
            while (window.size() > 1 && t - (Double) window.get(0).get("t") > 10.0) {
                window.remove(0);
            }
            double wt = t - (Double) window.get(0).get("t");
            if (wt >= 9.0) {
                bestWindow = Math.max(bestWindow, (consumed - (Long) window.get(0).get("consumed")) / wt);
            }
        }
        double rate = last > first ? (c1 - c0) / (last - first) : 0;
        result.put("consumeRecordsPerSecond", Math.round(rate));
        result.put("consumeBest10sRecordsPerSecond", Math.round(bestWindow));
        result.put("consumeFirstCommitToLastSeconds", last - first);
        result.put("maxLag", maxLag);
        result.put("avgLag", n == 0 ? 0 : Math.round(lagSum / n));
        say(String.format("consumption: %,.0f records/s from first to last commit (%.1f s), best 10 s window %,.0f/s; "
                + "lag max %,d avg %,.0f", rate, last - first, bestWindow, maxLag, n == 0 ? 0 : lagSum / n));
    }

    /** Billing's health and metrics: its HTTP port + 1000, as the local runtime's services.conf numbers them. */
    private int managementPort() {
        return port + 1000;
    }

    private Map<String, Object> billingMetrics() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("dbp_billing_usage_") && !line.startsWith("dbp_billing_usage_batch")
                    || line.startsWith("dbp_billing_usage_batch_seconds_count")
                    || line.startsWith("dbp_billing_usage_batch_seconds_sum")
                    || line.startsWith("dbp_billing_usage_batch_seconds_max")) {
                int sp = line.lastIndexOf(' ');
                m.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        say("billing metrics: " + m.entrySet().stream().map(e -> e.getKey().replaceFirst("\\{.*", "") + "=" + e.getValue())
                .toList());
        return m;
    }

    // ---- the billing process, as the local runtime starts it ------------------------------------------------------

    private void startBilling() throws Exception {
        // the local runtime's environment; C2 kept (no -XX:TieredStopAtLevel=1), as a deployed service runs: this
        // bench measures throughput
        billing = ServiceLaunch.of("billing", repo.resolve("services/billing/target/quarkus-app/quarkus-run.jar"))
                .ports(port, managementPort())
                .database("127.0.0.1", Integer.parseInt(opts.getOrDefault("pg-port", "5432")), "dbp")
                .kafka(kafka)
                .redis("redis://127.0.0.1:" + opts.getOrDefault("redis-port", "6379"))
                .gateway(opts.getOrDefault("gateway", "http://localhost:8080"))
                .jvmOptions(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"))
                .systemProperty("dbp.billing.ingest.topic", topic)
                .systemProperty("dbp.billing.ingest.group-id", group)
                .systemProperty("dbp.billing.ingest.dead-letter-topic", topic + ".dlq")
                .env("DBP_BILLING_INVOICING_EVERY", "off")
                .env("DBP_BILLING_DEDUP_PURGE_EVERY", "off")
                .log(log)
                .workDir(Path.of(opts.getOrDefault("state", repo.resolve(".platform").toString())))
                .start();
        ServiceLaunch.awaitReady(billing, managementPort(), Duration.ofSeconds(180));
        say("billing ready (pid " + billing.pid() + ")");
    }

    private void stopBilling(boolean kill) {
        if (kill) {
            // SIGKILL, explicitly: no shutdown hook, no offset commit, no flush
            billing.kill();
        } else {
            billing.stop("TERM", Duration.ofMinutes(5)); // SIGTERM, graceful
        }
        say("billing pid " + billing.pid() + " ended, exit "
                + billing.exitCode().stream().mapToObj(Integer::toString).findFirst().orElse("unknown"));
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    /** A platform-admin internal token, fresh for every call: they live 60 s (dbp.gateway.token.ttl). */
    private String adminToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(opts.getOrDefault("gateway",
                "http://localhost:8080") + "/api/v1/gateway/tokens")).header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("tenant", "platform", "subject", "bench-billing", "roles", List.of("platform-admin")))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("minting a token: " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body()).get("token").asText();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private void send(String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static void say(String s) {
        System.out.println("[billing-bench] " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + s);
    }
}
