package io.defensebuilders.billing.messaging;

import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.billing.config.BillingConfig;
import io.defensebuilders.billing.service.MeteringService;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.ConsumerLoopLifecycle;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs this replica's consumer of {@code usage.v1} (group {@code billing}) from startup to shutdown. A plain
 * KafkaConsumer on its own thread rather than a reactive channel: the loop needs the whole poll as one batch, one
 * transaction per batch and a synchronous offset commit after it, which is exactly the plain client's model.
 */
@ApplicationScoped
public class UsageConsumer extends ConsumerLoopLifecycle<IngestLoop> {

    private final BillingConfig config;
    private final String bootstrapServers;
    private final UsageEventReader reader;
    private final MeteringService metering;
    private final DeadLetters deadLetters;
    private final MeterRegistry registry;

    public UsageConsumer(BillingConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            UsageEventReader reader, MeteringService metering, DeadLetters deadLetters, MeterRegistry registry) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.reader = reader;
        this.metering = metering;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    @Override
    protected boolean enabled() {
        return config.ingest().enabled();
    }

    @Override
    protected IngestLoop newMainLoop() {
        return newLoop(config.ingest().topic(), config.ingest().groupId(), IngestLoop.Faults.NONE);
    }

    /**
     * A loop (not started) over {@code topic} in consumer group {@code groupId}, configured like the main one. The
     * main loop is one of these; tests make more to crash and rebalance them.
     */
    public IngestLoop newLoop(String topic, String groupId, IngestLoop.Faults faults) {
        BillingConfig.Ingest c = config.ingest();
        Properties props = BatchConsumerLoop.consumerProperties(bootstrapServers, groupId, nextClientId("billing-usage"),
                c.maxPollRecords());
        props.putAll(c.kafka());
        return new IngestLoop(new KafkaConsumer<>(props), topic, groupId, c.deadLetterTopic(), reader, metering,
                deadLetters, faults, c.pollTimeout(), c.maxBackoff(), registry);
    }
}
