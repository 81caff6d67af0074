package io.defensebuilders.gateway.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * One {@code usage.v1} event (meter {@code api.call}) per proxied call. The request path only puts a small record on
 * a bounded queue; one background thread turns queued calls into CloudEvents and hands them to a Kafka producer that
 * batches (linger, compression). On graceful shutdown the queue is drained and the producer flushed, so no call
 * that was answered goes unmetered. Only a queue full for long (Kafka away) drops events, counted.
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String SOURCE = "/services/gateway";
    private static final int CAPACITY = 200_000;

    /** What the request path records: everything the event needs, nothing computed yet. */
    private record Call(String tenant, String subject, String route, String method, int status, long bytesIn,
            long bytesOut, String requestId, long epochMillis) {
    }

    private final BlockingQueue<Call> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final CloudEventCodec codec;
    private final boolean enabled;
    private final String bootstrapServers;
    private final Counter dropped;
    private final Counter sent;
    private volatile boolean running = true;
    private Producer<String, String> producer;
    private Thread worker;

    public UsageRecorder(CloudEventCodec codec, GatewayConfig config, MeterRegistry meters,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.codec = codec;
        this.enabled = config.usage().enabled();
        this.bootstrapServers = bootstrapServers;
        this.dropped = Counter.builder("dbp.gateway.usage.dropped").description("usage events lost to a full queue")
                .register(meters);
        this.sent = Counter.builder("dbp.gateway.usage.sent").description("usage events handed to Kafka").register(meters);
        meters.gaugeCollectionSize("dbp.gateway.usage.queued", List.of(), queue);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-usage");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        producer = new KafkaProducer<>(props);
        worker = Thread.ofPlatform().name("usage-events").daemon().start(this::drain);
    }

    /** Records one answered call; never blocks. */
    public void apiCall(String tenant, String subject, String route, String method, int status, long bytesIn,
            long bytesOut, String requestId, Instant at) {
        if (enabled && !queue.offer(new Call(tenant, subject, route, method, status, bytesIn, bytesOut, requestId,
                at.toEpochMilli()))) {
            dropped.increment();
        }
    }

    private void drain() {
        List<Call> batch = new ArrayList<>(4096);
        while (running || !queue.isEmpty()) {
            try {
                Call first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                for (Call call : batch) {
                    send(call);
                }
                sent.increment(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | LinkageError e) {
                // whatever happens to one batch, the thread lives on for the next
                LOG.warnf("usage events could not be sent (%d dropped): %s", batch.size(), e.toString());
                dropped.increment(batch.size());
                batch.clear();
            }
        }
    }

    private void send(Call c) {
        Instant at = Instant.ofEpochMilli(c.epochMillis());
        UsageV1 data = new UsageV1(c.tenant(), UsageV1.API_CALL, BigDecimal.ONE, c.subject(), at, Map.of("route",
                c.route(), "method", c.method(), "status", Integer.toString(c.status()), "bytesIn",
                Long.toString(c.bytesIn()), "bytesOut", Long.toString(c.bytesOut()), "requestId", c.requestId()));
        // a fresh id: the request id may come from the client and repeat; the producer's retries reuse the record
        CloudEvent<UsageV1> event = CloudEvent.of(UUID.randomUUID().toString(), SOURCE, UsageV1.TYPE, c.tenant(),
                c.route(), at, data);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USAGE_V1, c.tenant(), codec.encode(event));
        record.headers().add(new RecordHeader("content-type",
                CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                dropped.increment();
                LOG.debugf("usage event lost: %s", error.toString());
            }
        });
    }

    /** Graceful shutdown: what was answered is sent before the process ends. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.join(Duration.ofSeconds(15));
        }
        if (producer != null) {
            producer.flush();
            producer.close(Duration.ofSeconds(10));
        }
    }
}
