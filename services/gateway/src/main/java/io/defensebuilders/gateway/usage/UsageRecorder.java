package io.defensebuilders.gateway.usage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.gateway.FastUuid;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * One {@code usage.v1} event (meter {@code api.call}) per proxied call. The request path writes the event (a CloudEvent
 * whose id is fixed there; JSON written by hand: this runs for every call), appends it to the local
 * {@link UsageJournal} (one write into the page cache) and puts it on a bounded lock-free queue. One background thread
 * takes the queued events about every {@value #PAUSE_MILLIS} ms and hands them to a Kafka producer that batches
 * (linger, zstd compression). An event Kafka does not take (it is away, restarting, or the wait for it ran out) is sent
 * again, the same event with the same id, every {@value #RETRY_MILLIS} ms until it is taken; the consumers deduplicate
 * by id. On graceful shutdown the queue is drained and the producer flushed; after a kill, the journal's events are
 * sent again at the next start. Events are given up only when far more wait than the queue holds (Kafka away for
 * long): counted in {@code dbp.gateway.usage.dropped}, and still in the journal for the next start.
 */
@Singleton
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String SOURCE = "/services/gateway";
    private static final int CAPACITY = 200_000;
    private static final long PAUSE_MILLIS = 10;
    private static final long RETRY_MILLIS = 1_000;
    /** How often the journal rolls to a new file; a file goes once Kafka has all of its events. */
    private static final long JOURNAL_ROLL_MILLIS = 1_000;
    /** Producer settings the gateway decides alone. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    private static final byte[] CONTENT_TYPE = CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    /** The event being written, one per request thread (event loops). */
    private static final ThreadLocal<StringBuilder> JSON = ThreadLocal.withInitial(() -> new StringBuilder(1024));

    /** What the event is made of. */
    record Call(UUID id, String tenant, String subject, String route, String method, int status, long bytesIn,
            long bytesOut, String requestId, long epochMillis) {
    }

    /** An event on its way to Kafka: its key, its JSON, and the journal segment that holds it (or null). */
    record Pending(String tenant, String json, UsageJournal.Segment segment) {
    }

    private final Handoff<Pending> calls = new Handoff<>(CAPACITY, 4096, PAUSE_MILLIS);
    /** Events Kafka did not take, to send again; touched by the producer's thread and the sending thread. */
    private final ConcurrentLinkedQueue<Pending> retries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger retrying = new AtomicInteger();
    private final AtomicLong resent = new AtomicLong();
    private volatile boolean kafkaAway;
    /** When the sending thread next sends the retries again. */
    private long nextRetryNanos;
    private final boolean enabled;
    private final String bootstrapServers;
    private final Map<String, String> producerSettings;
    private final Optional<Path> journalDir;
    private final Counter dropped;
    private final Counter sent;
    private final Counter journalErrors;
    private final Counter resentTotal;
    private final ObjectMapper mapper = new ObjectMapper();
    private Producer<String, String> producer;
    private UsageJournal journal;

    @Inject
    public UsageRecorder(GatewayConfig config, MeterRegistry meters,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this(config.usage().enabled(), bootstrapServers, config.usage().producer(),
                config.usage().journal().enabled() ? Optional.of(config.usage().journal().dir()) : Optional.empty(),
                meters);
    }

    /** A recorder of given settings, its journal in {@code journalDir} (none when empty): tests make their own. */
    UsageRecorder(boolean enabled, String bootstrapServers, Map<String, String> producerSettings,
            Optional<Path> journalDir, MeterRegistry meters) {
        this.enabled = enabled;
        this.bootstrapServers = bootstrapServers;
        this.producerSettings = producerSettings;
        this.journalDir = journalDir;
        this.dropped = Counter.builder("dbp.gateway.usage.dropped")
                .description("usage events given up by this process (still in the journal, if on, for the next start)")
                .register(meters);
        this.sent = Counter.builder("dbp.gateway.usage.sent").description("usage events handed to Kafka").register(meters);
        this.journalErrors = Counter.builder("dbp.gateway.usage.journal.errors")
                .description("usage events that could not be written to the local journal").register(meters);
        meters.gauge("dbp.gateway.usage.queued", calls.queued());
        this.resentTotal = Counter.builder("dbp.gateway.usage.resent")
                .description("usage events sent again after Kafka did not take them").register(meters);
        meters.gauge("dbp.gateway.usage.retrying", retrying);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties(bootstrapServers, producerSettings));
        if (journalDir.isPresent()) {
            journal = new UsageJournal(journalDir.get(), JOURNAL_ROLL_MILLIS, journalErrors::increment);
            for (UsageJournal.Recovered r : journal.recover()) {
                if (!calls.offer(new Pending(tenantOf(r.json()), r.json(), r.segment()))) {
                    dropped.increment(); // still in its file: the next start tries again
                }
            }
            journal.maintain();
        }
        calls.start("usage-events", this::send, this::upkeep);
    }

    /**
     * The producer's settings: the gateway's defaults (batches of up to 100 ms, zstd, every replica's acknowledgement,
     * idempotent retries), then {@code dbp.gateway.usage.producer.*}. The servers and the serializers are not
     * settable (the events go where {@code kafka.bootstrap.servers} says, as strings): naming one there stops the
     * start rather than being ignored.
     */
    static Properties producerProperties(String bootstrapServers, Map<String, String> settings) {
        for (String key : settings.keySet()) {
            String normal = key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
            if (FIXED.contains(normal)) {
                throw new IllegalArgumentException("dbp.gateway.usage.producer." + key + " cannot be set: the usage "
                        + "events go to kafka.bootstrap.servers, as strings");
            }
        }
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-usage");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // 100 ms rather than 20: a fifth of the produce requests halves the Kafka broker's CPU per call at 2,000 calls/s
        // (bench/gateway-ab.sh, bench/README.md); metering can wait a tenth of a second
        props.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.putAll(settings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    /** Records one answered call; never blocks. */
    public void apiCall(String tenant, String subject, String route, String method, int status, long bytesIn,
            long bytesOut, String requestId, Instant at) {
        if (!enabled) {
            return;
        }
        StringBuilder json = JSON.get();
        json.setLength(0);
        event(json, new Call(FastUuid.next(), tenant, subject, route, method, status, bytesIn, bytesOut, requestId,
                at.toEpochMilli()));
        String text = json.toString();
        UsageJournal.Segment segment = null;
        UsageJournal j = journal;
        if (j != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
            line[bytes.length] = '\n';
            segment = j.append(line);
        }
        if (!calls.offer(new Pending(tenant, text, segment))) {
            dropped.increment();
        }
    }

    private void send(List<Pending> batch) {
        for (Pending p : batch) {
            send(p);
        }
        sent.increment(batch.size());
        upkeep();
    }

    /** The sending thread's upkeep between batches: the journal's files, and the retries once their pause is over. */
    private void upkeep() {
        if (journal != null) {
            journal.maintain();
        }
        if (!retries.isEmpty() && System.nanoTime() - nextRetryNanos >= 0) {
            nextRetryNanos = System.nanoTime() + RETRY_MILLIS * 1_000_000;
            resendRetries();
        }
    }

    private void resendRetries() {
        Pending p;
        for (int n = retrying.get(); n > 0 && (p = retries.poll()) != null; n--) {
            retrying.decrementAndGet();
            resent.incrementAndGet();
            resentTotal.increment();
            send(p);
        }
    }

    private void send(Pending p) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USAGE_V1, p.tenant(), p.json());
        record.headers().add(new RecordHeader("content-type", CONTENT_TYPE));
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    delivered(p);
                } else {
                    failed(p, error);
                }
            });
        } catch (RuntimeException e) {
            failed(p, e); // whatever happens to one event, the thread lives on for the next
        }
    }

    private void delivered(Pending p) {
        if (p.segment() != null) {
            p.segment().acknowledged();
        }
        if (kafkaAway && retrying.get() == 0) {
            kafkaAway = false;
            LOG.infof("usage events reach Kafka again; %d were sent again", resent.getAndSet(0));
        }
    }

    private void failed(Pending p, Throwable error) {
        if (retrying.incrementAndGet() > CAPACITY) {
            retrying.decrementAndGet();
            dropped.increment(); // still in the journal, if on: the next start sends it
            return;
        }
        retries.offer(p);
        if (!kafkaAway) {
            kafkaAway = true;
            LOG.warnf("usage events do not reach Kafka (%s); each is kept and sent again every %d ms until it does",
                    error.toString(), RETRY_MILLIS);
        }
    }

    private String tenantOf(String json) {
        try {
            return mapper.readTree(json).path("tenant").asText(null);
        } catch (JsonProcessingException e) {
            return null; // only complete lines are read back; the key only spreads the load over partitions
        }
    }

    /**
     * The call as a structured-mode {@link CloudEvent} of {@link UsageV1} data, as {@code CloudEventCodec} writes it.
     * The call's own id, not the request id (which may come from the client and repeat): a random UUID from a
     * non-cryptographic generator, unique without a lock and a kernel call per event, made once per call so that every
     * resend of the event carries it.
     */
    static void event(StringBuilder out, Call c) {
        String at = Instant.ofEpochMilli(c.epochMillis()).toString();
        out.append("{\"specversion\":\"").append(CloudEvent.SPEC_VERSION).append("\",\"id\":\"").append(c.id())
                .append("\",\"source\":\"").append(SOURCE).append("\",\"type\":\"").append(UsageV1.TYPE)
                .append("\",\"subject\":");
        Json.quote(out, c.route()).append(",\"time\":\"").append(at)
                .append("\",\"datacontenttype\":\"application/json\",\"tenant\":");
        Json.quote(out, c.tenant()).append(",\"data\":{\"tenant\":");
        Json.quote(out, c.tenant()).append(",\"meter\":\"").append(UsageV1.API_CALL).append("\",\"quantity\":1,\"subject\":");
        Json.quote(out, c.subject()).append(",\"occurredAt\":\"").append(at).append("\",\"attributes\":{\"route\":");
        Json.quote(out, c.route()).append(",\"method\":");
        Json.quote(out, c.method()).append(",\"status\":\"").append(c.status()).append("\",\"bytesIn\":\"")
                .append(c.bytesIn()).append("\",\"bytesOut\":\"").append(c.bytesOut()).append("\",\"requestId\":");
        Json.quote(out, c.requestId()).append("}}}");
    }

    /**
     * Graceful shutdown: what was answered is sent before the process ends. Events Kafka still refuses after a few
     * rounds stay in the journal for the next start.
     */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        calls.stop(Duration.ofSeconds(15));
        if (producer == null) {
            return;
        }
        producer.flush();
        for (int round = 0; round < 5 && !retries.isEmpty(); round++) {
            Thread.sleep(RETRY_MILLIS);
            resendRetries();
            producer.flush();
        }
        producer.close(Duration.ofSeconds(10));
        if (journal != null) {
            journal.close();
        }
    }
}
