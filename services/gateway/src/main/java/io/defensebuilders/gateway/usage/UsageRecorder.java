package io.defensebuilders.gateway.usage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

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
 * One {@code usage.v1} event (meter {@code api.call}) per proxied call. The request path only puts a small record on
 * a bounded lock-free queue (no lock, no wake-up); one background thread collects the queued calls about every
 * {@value #PAUSE_MILLIS} ms, writes each as a CloudEvent (JSON written by hand: this runs for every call) and hands
 * them to a Kafka producer that batches (linger, zstd compression). On graceful shutdown the queue is drained and the
 * producer flushed, so no call that was answered goes unmetered. Only a queue full for long (Kafka away) drops
 * events, counted.
 */
@Singleton
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String SOURCE = "/services/gateway";
    private static final int CAPACITY = 200_000;
    private static final long PAUSE_MILLIS = 10;
    /** Producer settings the gateway decides alone. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    private static final byte[] CONTENT_TYPE = CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    /** What the request path records: everything the event needs, nothing computed yet. */
    record Call(String tenant, String subject, String route, String method, int status, long bytesIn,
            long bytesOut, String requestId, long epochMillis) {
    }

    private final Handoff<Call> calls = new Handoff<>(CAPACITY, 4096, PAUSE_MILLIS);
    /** The event being written; only the sending thread touches it. */
    private final StringBuilder json = new StringBuilder(1024);
    private final boolean enabled;
    private final String bootstrapServers;
    private final Map<String, String> producerSettings;
    private final Counter dropped;
    private final Counter sent;
    private Producer<String, String> producer;

    public UsageRecorder(GatewayConfig config, MeterRegistry meters,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.enabled = config.usage().enabled();
        this.bootstrapServers = bootstrapServers;
        this.producerSettings = config.usage().producer();
        this.dropped = Counter.builder("dbp.gateway.usage.dropped").description("usage events lost to a full queue")
                .register(meters);
        this.sent = Counter.builder("dbp.gateway.usage.sent").description("usage events handed to Kafka").register(meters);
        meters.gauge("dbp.gateway.usage.queued", calls.queued());
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties(bootstrapServers, producerSettings));
        calls.start("usage-events", this::send, () -> { });
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
        if (!calls.offer(new Call(tenant, subject, route, method, status, bytesIn, bytesOut, requestId,
                at.toEpochMilli()))) {
            dropped.increment();
        }
    }

    private void send(List<Call> batch) {
        try {
            for (Call call : batch) {
                send(call);
            }
            sent.increment(batch.size());
        } catch (RuntimeException | LinkageError e) {
            // whatever happens to one batch, the thread lives on for the next
            LOG.warnf("usage events could not be sent (%d dropped): %s", batch.size(), e.toString());
            dropped.increment(batch.size());
        }
    }

    private void send(Call c) {
        json.setLength(0);
        event(json, c);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USAGE_V1, c.tenant(), json.toString());
        record.headers().add(new RecordHeader("content-type", CONTENT_TYPE));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                dropped.increment();
                LOG.debugf("usage event lost: %s", error.toString());
            }
        });
    }

    /**
     * The call as a structured-mode {@link CloudEvent} of {@link UsageV1} data, as {@code CloudEventCodec} writes it.
     * A fresh id: the request id may come from the client and repeat; the producer's retries reuse the record. The id
     * is a random UUID from a non-cryptographic generator, unique without a lock and a kernel call per event.
     */
    static void event(StringBuilder out, Call c) {
        UUID id = FastUuid.next();
        String at = Instant.ofEpochMilli(c.epochMillis()).toString();
        out.append("{\"specversion\":\"").append(CloudEvent.SPEC_VERSION).append("\",\"id\":\"").append(id)
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

    /** Graceful shutdown: what was answered is sent before the process ends. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        calls.stop(Duration.ofSeconds(15));
        if (producer != null) {
            producer.flush();
            producer.close(Duration.ofSeconds(10));
        }
    }
}
