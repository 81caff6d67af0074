package io.defensebuilders.aitools.messaging;

import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.service.NotificationRouter;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.platform.events.ConsumerLoopLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;

/** Runs this replica's consumer of the notification topics (group {@code ai-tools-notifications}) while it is up. */
@ApplicationScoped
public class NotificationConsumer extends ConsumerLoopLifecycle<NotificationLoop> {

    private final AiToolsConfig.Notifications config;
    private final String bootstrapServers;
    private final Pool pool;
    private final NotificationRouter router;
    private final CloudEventCodec codec;
    private final MeterRegistry registry;

    public NotificationConsumer(AiToolsConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Pool pool,
            NotificationRouter router, CloudEventCodec codec, MeterRegistry registry) {
        this.config = config.notifications();
        this.bootstrapServers = bootstrapServers;
        this.pool = pool;
        this.router = router;
        this.codec = codec;
        this.registry = registry;
    }

    @Override
    protected boolean enabled() {
        return config.enabled();
    }

    @Override
    protected NotificationLoop newMainLoop() {
        Properties props = BatchConsumerLoop.consumerProperties(bootstrapServers, config.groupId(),
                nextClientId("ai-tools-notifications"), config.maxPollRecords());
        // a topic created after the start (no event of its kind yet) is seen at the next metadata refresh: every 30 s
        // rather than the client's default 5 minutes
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.METADATA_MAX_AGE_CONFIG, "30000");
        props.putAll(config.kafka());
        return new NotificationLoop(new KafkaConsumer<>(props), config.groupId(), pool, router, codec,
                config.pollTimeout(), config.maxBackoff(), registry);
    }
}
