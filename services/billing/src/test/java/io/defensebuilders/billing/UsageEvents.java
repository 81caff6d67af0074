package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.infra.SharedInfra;

/**
 * Produces usage.v1 records to the real broker, as the gateway does (structured CloudEvents, key = tenant), and
 * waits on the consumer group's committed offsets: billing commits an offset only after the database commit, so
 * once the group has committed past a record, that record's effect is in the database.
 */
public final class UsageEvents {

    /** A base time in the recent past, whole hour, so every test's minutes are valid and fixed. */
    public static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));

    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;

    private final CloudEventCodec codec;
    private final Map<TopicPartition, Long> lastOffsets = new HashMap<>();
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    public UsageEvents(CloudEventCodec codec) {
        this.codec = codec;
    }

    public static CloudEvent<UsageV1> event(String tenant, String meter, String quantity, Instant at,
            Map<String, String> attributes) {
        return event(UUID.randomUUID().toString(), tenant, meter, quantity, "user-1", at, attributes);
    }

    public static CloudEvent<UsageV1> event(String id, String tenant, String meter, String quantity, String subject,
            Instant at, Map<String, String> attributes) {
        return CloudEvent.of(id, "/tests/billing", UsageV1.TYPE, tenant, subject, at,
                new UsageV1(tenant, meter, new BigDecimal(quantity), subject, at, attributes));
    }

    /** Sends events to {@code topic}, keyed by tenant; returns this for chaining. */
    public UsageEvents send(String topic, List<CloudEvent<UsageV1>> events) {
        for (CloudEvent<UsageV1> e : events) {
            sendRaw(topic, e.data().tenant(), codec.encode(e).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public UsageEvents send(String topic, CloudEvent<UsageV1> event) {
        return send(topic, List.of(event));
    }

    /** Sends raw bytes, without waiting; {@link #flush()} or {@link #awaitConsumed} wait for the broker. */
    public UsageEvents sendRaw(String topic, String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        inFlight.add(producer().send(record));
        return this;
    }

    /** Waits until the broker has every record sent so far. */
    public UsageEvents flush() {
        producer().flush();
        try {
            for (Future<RecordMetadata> f : inFlight) {
                RecordMetadata m = f.get();
                lastOffsets.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        inFlight.clear();
        return this;
    }

    /** The last offset sent per partition. */
    public Map<TopicPartition, Long> lastOffsets() {
        flush();
        return Map.copyOf(lastOffsets);
    }

    /** Waits until {@code group} has committed past every record this instance sent. */
    public void awaitConsumed(String group) {
        flush();
        awaitCommitted(group, lastOffsets, Duration.ofSeconds(30));
    }

    public static void awaitCommitted(String group, Map<TopicPartition, Long> last, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
        while (System.nanoTime() < deadline) {
            committed = committed(group);
            boolean done = true;
            for (var e : last.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                done &= c != null && c.offset() > e.getValue();
            }
            if (done) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("group " + group + " did not commit past " + last + " within " + timeout
                + "; committed: " + committed);
    }

    public static Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
                if (o != null) {
                    out.put(tp, o);
                }
            });
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private static synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
            admin = Admin.create(props);
        }
        return admin;
    }
}
