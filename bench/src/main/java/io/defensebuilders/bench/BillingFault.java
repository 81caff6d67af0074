package io.defensebuilders.bench;

import java.net.http.HttpClient;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.defensebuilders.platform.events.CloudEventCodec;

/**
 * Billing's exactly-once proof and ingest bench (bench/billing-fault.sh, bench/billing-ingest.sh).
 *
 * <p>
 * Runs its own billing process ({@link BillingProcess}: the built quarkus-run.jar, started as the local runtime starts
 * it, on its own port, topic and consumer group, against the platform's PostgreSQL and Kafka), subscribes a few fresh
 * tenants to the {@code pro} plan, produces N {@code usage.v1} CloudEvents ({@link UsageProducer}) of which a share are
 * exact re-sends ({@link UsageSequence}), and then compares each tenant's invoice preview with totals computed here,
 * independently of billing's PricingEngine ({@link InvoiceCheck}).
 *
 * <ul>
 * <li>{@code --mode fault}: billing consumes while the producer sends; at {@code --kill-at} of the records consumed
 * (committed offsets) the billing JVM gets SIGKILL and is started again ({@link ConsumptionWatch}).</li>
 * <li>{@code --mode ingest}: the producer pre-loads all records with billing stopped; billing is then started and
 * drains the backlog: consumption rate and lag from the committed offsets over time.</li>
 * </ul>
 */
public final class BillingFault {

    private final String mode;
    private final int total;
    private final double dupRate;
    /** One or more kill points, as shares of the records consumed: --kill-at 0.5 or --kill-at 0.2,0.4,0.6,0.8. */
    private final double[] killAt;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = Instant.now().toString().replaceAll("[^0-9]", "").substring(2, 14);
    private final String kafka;
    private final int port;
    private final String gateway;
    private final Path keyFile;
    private final String topic;
    private final String group;
    private final Path repo;
    private final Path log;
    private final BillingProcess billing;
    private final List<String> tenants = new ArrayList<>();
    /** Every 250 ms of the run: time, produced, consumed, lag, load average. */
    private List<Map<String, Object>> samples = List.of();

    private BillingFault(Map<String, String> opts) {
        this.mode = opts.getOrDefault("mode", "fault");
        this.total = Integer.parseInt(opts.getOrDefault("events", "1000000"));
        this.dupRate = Double.parseDouble(opts.getOrDefault("dup-rate", "0.01"));
        this.killAt = java.util.Arrays.stream(opts.getOrDefault("kill-at", "0.5").split(","))
                .mapToDouble(Double::parseDouble).sorted().toArray();
        this.kafka = opts.getOrDefault("kafka", "127.0.0.1:9092");
        this.port = Integer.parseInt(opts.getOrDefault("billing-port", "18083"));
        this.gateway = opts.getOrDefault("gateway", "http://localhost:8080");
        this.keyFile = Path.of(opts.get("key-file"));
        this.topic = "bench.usage.v1." + run;
        this.group = "bench-billing-" + run;
        this.repo = Path.of(opts.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        this.log = repo.resolve("bench/results/logs/billing-" + run + ".log");
        BillingProcess.Infrastructure infra = new BillingProcess.Infrastructure(
                Integer.parseInt(opts.getOrDefault("pg-port", "5432")), kafka,
                Integer.parseInt(opts.getOrDefault("redis-port", "6379")));
        this.billing = new BillingProcess(repo, port, infra, gateway, topic, group, log,
                Path.of(opts.getOrDefault("state", repo.resolve(".platform").toString())), http);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        System.exit(new BillingFault(opts).run());
    }

    private int run() throws Exception {
        Files.createDirectories(log.getParent());
        say("run " + run + ": mode " + mode + ", " + total + " records, " + dupRate * 100 + "% duplicates, topic "
                + topic + ", group " + group + ", billing on :" + port + " (log " + repo.relativize(log) + ")");
        BillingApi api = new BillingApi(http, json, gateway, Files.readString(keyFile).trim(), port);
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(ap)) {
            List<TopicPartition> partitions = createTopic(admin);
            billing.start();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            Instant eventsTo = Instant.now().minusSeconds(60);
            subscribeTenants(api, today);
            if (mode.equals("ingest")) {
                billing.stop();
            }
            UsageSequence sequence = UsageSequence.of(total, dupRate);
            say("sequence: " + sequence.unique() + " distinct events, " + sequence.duplicates() + " duplicate records ("
                    + sequence.adjacent() + " adjacent, " + sequence.farApart() + " far apart)");
            UsageProducer producer = new UsageProducer(kafka, "bench-billing-" + run, topic, tenants,
                    today.atStartOfDay(ZoneOffset.UTC).toInstant(), eventsTo,
                    new SplittableRandom().nextLong(), new CloudEventCodec(json));
            Map<String, Object> result = produceAndConsume(admin, partitions, sequence, producer);
            InvoiceCheck.Verdict verdict = new InvoiceCheck(api, json).check(tenants, sequence.perTenant());
            result.put("invoices", verdict.rows());
            result.put("pass", verdict.pass());
            result.put("samples", samples);
            report(admin, result, verdict.pass());
            return verdict.pass() ? 0 : 1;
        } finally {
            if (billing.isAlive()) {
                billing.stop();
            }
        }
    }

    /** The run's topic, with as many partitions as usage.v1. */
    private List<TopicPartition> createTopic(Admin admin) throws Exception {
        int partitions = admin.describeTopics(List.of("usage.v1")).allTopicNames().get().get("usage.v1")
                .partitions().size();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        say("topic " + topic + " with " + partitions + " partitions (as usage.v1)");
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        return tps;
    }

    /** Fresh tenants on pro from today, one per share of {@link UsageSequence#SHARES}. */
    private void subscribeTenants(BillingApi api, LocalDate today) throws Exception {
        for (int t = 0; t < UsageSequence.SHARES.length; t++) {
            String tenant = "bench-bf-" + run + "-" + t;
            tenants.add(tenant);
            api.send("POST", "/api/v1/billing/subscriptions", Map.of("plan", "pro", "tenant", tenant), 201);
        }
        say("subscribed " + tenants + " to pro from " + today + " (period " + today + " .. " + today.plusMonths(1) + ")");
    }

    /**
     * Sends the sequence while billing consumes (fault: with the kills) or before billing starts (ingest), watches
     * until every record is consumed, and returns the run's figures.
     */
    private Map<String, Object> produceAndConsume(Admin admin, List<TopicPartition> partitions, UsageSequence sequence,
            UsageProducer producer) throws Exception {
        Map<TopicPartition, Long> start = new HashMap<>();
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get().forEach((tp, info) -> start.put(tp, info.offset()));
        AtomicLong produced = new AtomicLong();
        AtomicReference<Exception> produceError = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread sender = Thread.ofPlatform().name("producer").start(() -> {
            try {
                producer.produce(sequence, produced);
            } catch (Exception e) {
                produceError.set(e);
            }
        });
        long producedDoneAt = -1;
        long drainStart = -1;
        if (mode.equals("ingest")) {
            sender.join();
            producedDoneAt = System.nanoTime();
            say(String.format("pre-loaded %,d records in %.1f s (%,.0f records/s); starting billing", total,
                    (producedDoneAt - t0) / 1e9, total / ((producedDoneAt - t0) / 1e9)));
            billing.start();
            drainStart = System.nanoTime();
        }
        ConsumptionWatch.Outcome outcome = new ConsumptionWatch(admin, group, partitions, start, billing, log).watch(total,
                mode.equals("fault") ? killAt : new double[0], t0, sender, produced, produceError, producedDoneAt);
        double seconds = (System.nanoTime() - t0) / 1e9;
        say(String.format("all %,d records consumed after %.1f s", total, seconds));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run", run);
        result.put("mode", mode);
        result.put("records", total);
        result.put("distinctEvents", sequence.unique());
        result.put("duplicateRecords", sequence.duplicates());
        result.put("duplicatesAdjacent", sequence.adjacent());
        result.put("duplicatesFarApart", sequence.farApart());
        result.put("partitions", partitions.size());
        result.put("seconds", seconds);
        result.put("producerSeconds", (outcome.producedDoneAt() - t0) / 1e9);
        result.put("kills", outcome.kills());
        ConsumptionWatch.rates(outcome.samples(), result, drainStart > 0 ? (drainStart - t0) / 1e9 : 0);
        result.put("billingMetricsSinceLastStart", billing.metrics());
        samples = outcome.samples();
        return result;
    }

    /** Writes the JSON, stops billing, deletes the run's topic and group, and says the verdict. */
    private void report(Admin admin, Map<String, Object> result, boolean pass) throws Exception {
        Path out = repo.resolve("bench/results/billing-" + mode + "-" + run + ".json");
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
        say("results: " + repo.relativize(out));
        billing.stop();
        admin.deleteTopics(List.of(topic)).all().get();
        admin.deleteConsumerGroups(List.of(group)).all().get();
        say(pass ? "PASS: every invoice equals the independently computed total to the cent"
                : "FAIL: an invoice differs from the expected total");
    }

    static void say(String s) {
        System.out.println("[billing-bench] " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + s);
    }
}
