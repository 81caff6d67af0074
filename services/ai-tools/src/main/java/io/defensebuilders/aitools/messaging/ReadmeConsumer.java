package io.defensebuilders.aitools.messaging;

import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.service.ReadmeIndexer;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.platform.events.ConsumerLoopLifecycle;
import io.micrometer.core.instrument.MeterRegistry;

/** Runs this replica's consumer of {@code registry.v1} for SDK READMEs (group {@code ai-tools-docs}) while it is up. */
@ApplicationScoped
public class ReadmeConsumer extends ConsumerLoopLifecycle<ReadmeLoop> {

    private final AiToolsConfig.Docs config;
    private final String bootstrapServers;
    private final ReadmeIndexer indexer;
    private final CloudEventCodec codec;
    private final MeterRegistry registry;

    public ReadmeConsumer(AiToolsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            ReadmeIndexer indexer, CloudEventCodec codec, MeterRegistry registry) {
        this.config = config.docs();
        this.bootstrapServers = bootstrapServers;
        this.indexer = indexer;
        this.codec = codec;
        this.registry = registry;
    }

    @Override
    protected boolean enabled() {
        return config.enabled();
    }

    @Override
    protected ReadmeLoop newMainLoop() {
        Properties props = ConsumerSettings.of(bootstrapServers, config.groupId(), nextClientId("ai-tools-docs"), config);
        return new ReadmeLoop(new KafkaConsumer<>(props), config.groupId(), indexer, codec, config.pollTimeout(),
                config.maxBackoff(), registry);
    }
}
