package io.defensebuilders.aitools.messaging;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.ConsumerLoopConfig;

/** The Kafka consumer settings of ai-tools' loops (notifications, READMEs): the batch loops' own, then the config's. */
final class ConsumerSettings {

    private ConsumerSettings() {
    }

    static Properties of(String bootstrapServers, String groupId, String clientId, ConsumerLoopConfig config) {
        Properties props = BatchConsumerLoop.consumerProperties(bootstrapServers, groupId, clientId,
                config.maxPollRecords());
        // a topic created after the start (no event of its kind yet) is seen at the next metadata refresh: every 30 s
        // rather than the client's default 5 minutes
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "30000");
        props.putAll(config.kafka());
        return props;
    }
}
