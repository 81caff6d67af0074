package io.defensebuilders.aitools.messaging;

import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.service.NotificationRouter;
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
        Properties props = ConsumerSettings.of(bootstrapServers, config.groupId(), nextClientId("ai-tools-notifications"),
                config);
        return new NotificationLoop(new KafkaConsumer<>(props), config.groupId(), pool, router, codec,
                config.pollTimeout(), config.maxBackoff(), registry);
    }
}
