package io.defensebuilders.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;

/**
 * Sends a run's {@link UsageSequence} to its topic as the gateway's UsageRecorder writes usage.v1 CloudEvents, with
 * the gateway's producer settings; a re-sent event is byte for byte the record sent before.
 */
final class UsageProducer {

    private static final String SOURCE = "/services/gateway";
    private static final String[] ROUTES = { "sdk-registry", "billing", "orbital", "marketplace" };

    private final String kafka;
    private final String clientId;
    private final String topic;
    private final List<String> tenants;
    private final Instant periodStart;
    private final Instant eventsTo;
    private final long idBits;
    private final CloudEventCodec codec;

    /** Events of {@code tenants} (by {@link UsageSequence#tenantOf}), spread from {@code periodStart} to {@code eventsTo}. */
    UsageProducer(String kafka, String clientId, String topic, List<String> tenants, Instant periodStart,
            Instant eventsTo, long idBits, CloudEventCodec codec) {
        this.kafka = kafka;
        this.clientId = clientId;
        this.topic = topic;
        this.tenants = tenants;
        this.periodStart = periodStart;
        this.eventsTo = eventsTo;
        this.idBits = idBits;
        this.codec = codec;
    }

    /** The record of event e, byte for byte the same whenever it is built (what a producer retry re-sends). */
    ProducerRecord<String, String> record(int e, int unique) {
        String tenant = tenants.get(UsageSequence.tenantOf(e));
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

    /** Sends every record of {@code sequence}, counting each acknowledged one in {@code produced}. */
    void produce(UsageSequence sequence, AtomicLong produced) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int e : sequence.events()) {
                producer.send(record(e, sequence.unique()), (md, err) -> {
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
}
