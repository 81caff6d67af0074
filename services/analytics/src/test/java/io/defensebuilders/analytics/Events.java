package io.defensebuilders.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.infra.SharedInfra;

/**
 * Produces CloudEvents to the real broker as the platform's services do (structured JSON, key = tenant), and waits
 * on the consumer group's committed offsets: analytics commits an offset only after its database commit, so once
 * the group has committed past a record, that record's effect is in the database.
 */
public final class Events {

    /** The type tests use: configured (in %test) with dimensions kind and region and value amount. */
    public static final String TEST_TYPE = "io.defensebuilders.tests.v1";
    /** Whole hour, a day back: every test's minutes are valid, inside the retention and fixed. */
    public static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;

    private final Map<TopicPartition, Long> lastOffsets = new HashMap<>();
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    /** A CloudEvent as a map, to be tweaked before sending. */
    public static Map<String, Object> event(String id, String source, String type, String tenant, Instant time,
            Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", source);
        e.put("type", type);
        e.put("time", time.toString());
        e.put("datacontenttype", "application/json");
        e.put("tenant", tenant);
        e.put("data", data);
        return e;
    }

    /** A test-type event with a fresh id. */
    public static Map<String, Object> test(String tenant, Instant time, String kind, String region, String amount) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", kind);
        data.put("region", region);
        data.put("amount", amount);
        return event(UUID.randomUUID().toString(), "/tests/analytics", TEST_TYPE, tenant, time, data);
    }

    public Events send(String topic, Map<String, Object> event) {
        try {
            return sendRaw(topic, String.valueOf(event.get("tenant")), JSON.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Events send(String topic, List<Map<String, Object>> events) {
        events.forEach(e -> send(topic, e));
        return this;
    }

    public Events sendRaw(String topic, String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        inFlight.add(producer().send(record));
        return this;
    }

    /** Waits until the broker has every record sent so far. */
    public Events flush() {
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
        awaitCommitted(group, lastOffsets, Duration.ofSeconds(60));
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
