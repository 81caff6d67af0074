package io.defensebuilders.testing.kafka;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

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
import org.awaitility.core.ConditionTimeoutException;

import io.defensebuilders.testing.infra.SharedInfra;

/**
 * Sends structured CloudEvents records to the shared test broker as the platform's services do, and waits on a
 * consumer group's committed offsets: the batch consumers commit an offset only after their database commit, so once
 * the group has committed past a record, that record's effect is in the database. A service's test producer extends
 * this with the events it builds ({@code S} is that subclass, for chaining).
 */
public abstract class EventSender<S extends EventSender<S>> {

    private static final Duration CONSUMED_TIMEOUT = Duration.ofSeconds(60);
    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;

    private final Map<TopicPartition, Long> lastOffsets = new HashMap<>();
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Sends raw bytes with the structured CloudEvents content type, without waiting for the broker. */
    public S sendRaw(String topic, String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        inFlight.add(producer().send(record));
        return self();
    }

    /** Waits until the broker has every record sent so far. */
    public S flush() {
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
        return self();
    }

    /** The last offset sent per partition. */
    public Map<TopicPartition, Long> lastOffsets() {
        flush();
        return Map.copyOf(lastOffsets);
    }

    /** Waits (up to a minute) until {@code group} has committed past every record this instance sent. */
    public void awaitConsumed(String group) {
        flush();
        awaitCommitted(group, lastOffsets, CONSUMED_TIMEOUT);
    }

    /** Waits until {@code group} has committed past the offsets {@code last}; fails after {@code timeout}. */
    public static void awaitCommitted(String group, Map<TopicPartition, Long> last, Duration timeout) {
        AtomicReference<Map<TopicPartition, OffsetAndMetadata>> seen = new AtomicReference<>(Map.of());
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
                seen.set(committed);
                return last.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return c != null && c.offset() > e.getValue();
                });
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("group " + group + " did not commit past " + last + " within " + timeout
                    + "; committed: " + seen.get());
        }
    }

    /** The offsets {@code group} has committed, by partition. */
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
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
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
