package io.defensebuilders.billing.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.billing.config.BillingConfig;
import io.defensebuilders.billing.service.MeteringService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs this replica's consumer of {@code usage.v1} (group {@code billing}) from startup to shutdown. A plain
 * KafkaConsumer on its own thread rather than a reactive channel: the loop needs the whole poll as one batch, one
 * transaction per batch and a synchronous offset commit after it, which is exactly the plain client's model.
 */
@ApplicationScoped
public class UsageConsumer {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final BillingConfig config;
    private final String bootstrapServers;
    private final UsageEventReader reader;
    private final MeteringService metering;
    private final DeadLetters deadLetters;
    private final MeterRegistry registry;
    private final AtomicInteger clients = new AtomicInteger();
    private volatile IngestLoop main;

    public UsageConsumer(BillingConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            UsageEventReader reader, MeteringService metering, DeadLetters deadLetters, MeterRegistry registry) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.reader = reader;
        this.metering = metering;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (config.ingest().enabled()) {
            main = newLoop(config.ingest().topic(), config.ingest().groupId(), IngestLoop.Faults.NONE).start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        IngestLoop loop = main;
        if (loop != null) {
            loop.stop(STOP_TIMEOUT);
        }
    }

    /** The loop this replica runs, when ingest is enabled. */
    public Optional<IngestLoop> main() {
        return Optional.ofNullable(main);
    }

    /**
     * A loop (not started) over {@code topic} in consumer group {@code groupId}, configured like the main one. The
     * main loop is one of these; tests make more to crash and rebalance them.
     */
    public IngestLoop newLoop(String topic, String groupId, IngestLoop.Faults faults) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "billing-usage-" + clients.incrementAndGet());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // offsets are committed by hand, after the database commit, never in the background
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a new group starts at the oldest record: usage produced before billing first ran is still billed
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.ingest().maxPollRecords()));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.putAll(config.ingest().kafka());
        return new IngestLoop(new KafkaConsumer<>(props), topic, groupId, config.ingest().deadLetterTopic(), reader,
                metering, deadLetters, faults, config.ingest().pollTimeout(), config.ingest().maxBackoff(), registry);
    }
}
