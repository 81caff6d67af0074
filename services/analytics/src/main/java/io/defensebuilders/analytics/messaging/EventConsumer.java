package io.defensebuilders.analytics.messaging;

import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.analytics.service.IngestService;
import io.defensebuilders.analytics.service.Partitions;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.ConsumerLoopLifecycle;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs this replica's consumer of every platform topic (group {@code analytics}) from startup to shutdown: a plain
 * KafkaConsumer on its own thread, one transaction per poll and a synchronous offset commit after it.
 */
@ApplicationScoped
public class EventConsumer extends ConsumerLoopLifecycle<IngestLoop> {

    private final AnalyticsConfig config;
    private final String bootstrapServers;
    private final EventReader reader;
    private final IngestService ingest;
    private final Partitions partitions;
    private final MeterRegistry registry;

    public EventConsumer(AnalyticsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            EventReader reader, IngestService ingest, Partitions partitions, MeterRegistry registry) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.reader = reader;
        this.ingest = ingest;
        this.partitions = partitions;
        this.registry = registry;
    }

    @Override
    protected boolean enabled() {
        return config.ingest().enabled();
    }

    @Override
    protected IngestLoop newMainLoop() {
        return newLoop(Pattern.compile(config.ingest().topics()), config.ingest().groupId(), IngestLoop.Faults.NONE);
    }

    /**
     * A loop (not started) over the topics matching {@code topics} in consumer group {@code groupId}, configured like
     * the main one. The main loop is one of these; tests make more to crash them.
     */
    public IngestLoop newLoop(Pattern topics, String groupId, IngestLoop.Faults faults) {
        AnalyticsConfig.Ingest c = config.ingest();
        Properties props = BatchConsumerLoop.consumerProperties(bootstrapServers, groupId,
                nextClientId("analytics-events"), c.maxPollRecords());
        // the pattern subscription sees a topic created after the start (the first event of a new kind, a topic that
        // was recreated) at the next metadata refresh: every 30 s rather than the client's default 5 minutes
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "30000");
        props.putAll(c.kafka());
        return new IngestLoop(new KafkaConsumer<>(props), topics, groupId, reader, ingest, partitions, faults,
                c.pollTimeout(), c.maxBackoff(), c.maxFuture(), registry);
    }
}
