package io.defensebuilders.billing.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes records that cannot be metered to the dead-letter topic: the original key, headers and bytes, plus
 * {@value #REASON} (why) and where the record came from, under the header names SmallRye Reactive Messaging's
 * dead-letter queue uses. Delivery is at least once: a batch retried after a failure may dead-letter a record twice,
 * and (topic, partition, offset) identify it.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String GROUP = "dead-letter-consumer-group";
    private static final int MAX_REASON_CHARS = 2000;

    private final String bootstrapServers;
    private volatile Producer<String, byte[]> producer;

    public DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Sends one record to {@code deadLetterTopic}; the future completes when the broker has it. */
    public Future<RecordMetadata> send(String deadLetterTopic, String groupId, ConsumerRecord<String, byte[]> original,
            String reason) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(deadLetterTopic, null, original.key(), original.value());
        for (Header h : original.headers()) {
            out.headers().add(h);
        }
        String why = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        out.headers().add(REASON, why.getBytes(StandardCharsets.UTF_8));
        out.headers().add(TOPIC, original.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add(PARTITION, Integer.toString(original.partition()).getBytes(StandardCharsets.UTF_8));
        out.headers().add(OFFSET, Long.toString(original.offset()).getBytes(StandardCharsets.UTF_8));
        out.headers().add(GROUP, groupId.getBytes(StandardCharsets.UTF_8));
        return producer().send(out);
    }

    /** Makes every record sent so far leave the client. */
    public void flush() {
        if (producer != null) {
            producer.flush();
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "billing-dead-letters");
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
                    producer = new KafkaProducer<>(props);
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
