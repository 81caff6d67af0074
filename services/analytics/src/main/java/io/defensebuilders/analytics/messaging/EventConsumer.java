package io.defensebuilders.analytics.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.analytics.service.IngestService;
import io.defensebuilders.analytics.service.Partitions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs this replica's consumer of every platform topic (group {@code analytics}) from startup to shutdown: a plain
 * KafkaConsumer on its own thread, one transaction per poll and a synchronous offset commit after it.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final AnalyticsConfig config;
    private final String bootstrapServers;
    private final EventReader reader;
    private final IngestService ingest;
    private final Partitions partitions;
    private final MeterRegistry registry;
    private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
    private volatile IngestLoop main;

    public EventConsumer(AnalyticsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            EventReader reader, IngestService ingest, Partitions partitions, MeterRegistry registry) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.reader = reader;
        this.ingest = ingest;
        this.partitions = partitions;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (config.ingest().enabled()) {
            main = newLoop(Pattern.compile(config.ingest().topics()), config.ingest().groupId(), IngestLoop.Faults.NONE)
                    .start();
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
     * A loop (not started) over the topics matching {@code topics} in consumer group {@code groupId}, configured like
     * the main one. The main loop is one of these; tests make more to crash them.
     */
    public IngestLoop newLoop(Pattern topics, String groupId, IngestLoop.Faults faults) {
        AnalyticsConfig.Ingest c = config.ingest();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "analytics-events-" + clients.incrementAndGet());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // offsets are committed by hand, after the database commit, never in the background
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a new group starts at the oldest record: what happened before analytics first ran is still counted
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(c.maxPollRecords()));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // the pattern subscription sees a topic created after the start (the first event of a new kind, a topic that
        // was recreated) at the next metadata refresh: every 30 s rather than the client's default 5 minutes
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "30000");
        props.putAll(c.kafka());
        return new IngestLoop(new KafkaConsumer<>(props), topics, groupId, reader, ingest, partitions, faults,
                c.pollTimeout(), c.maxBackoff(), c.maxFuture(), registry);
    }
}
