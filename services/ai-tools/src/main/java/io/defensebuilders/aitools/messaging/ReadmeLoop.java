package io.defensebuilders.aitools.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.service.ReadmeIndexer;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code registry.v1} for "ask the docs" ({@link BatchConsumerLoop}): each published version's SDK README is
 * (re)indexed. Subscribed by pattern: a topic that does not exist yet at the start (no SDK published on a new
 * cluster) is picked up when it appears, which a subscription by name did not do here. Indexing an SDK again is harmless, so a
 * redelivered batch only repeats work; a registry that cannot
 * answer rewinds the batch, which is retried with backoff.
 */
public final class ReadmeLoop extends BatchConsumerLoop {

    private static final Logger LOG = Logger.getLogger(ReadmeLoop.class);
    private final ReadmeIndexer indexer;
    private final CloudEventCodec codec;
    private final Counter indexed;

    ReadmeLoop(Consumer<String, byte[]> consumer, String groupId, ReadmeIndexer indexer, CloudEventCodec codec,
            Duration pollTimeout, Duration maxBackoff, MeterRegistry registry) {
        super("ai-tools-docs", consumer, (c, listener) -> c.subscribe(
                java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(Topics.REGISTRY_V1)), listener), groupId,
                Faults.NONE, pollTimeout, maxBackoff, registry,
                new Meters(Counter.builder("dbp.ai_tools.docs.events.consumed")
                        .description("registry.v1 events read for SDK READMEs").register(registry),
                        Counter.builder("dbp.ai_tools.docs.failed.batches")
                                .description("batches rewound and retried after a failure").register(registry),
                        Timer.builder("dbp.ai_tools.docs.batch").description("time to index one polled batch")
                                .register(registry)));
        this.indexer = indexer;
        this.codec = codec;
        this.indexed = Counter.builder("dbp.ai_tools.docs.passages.indexed").description("README passages written")
                .register(registry);
    }

    @Override
    protected Runnable handle(List<ConsumerRecord<String, byte[]>> batch) {
        int written = 0;
        for (ConsumerRecord<String, byte[]> r : batch) {
            CloudEvent<JsonNode> event;
            try {
                event = codec.decode(new String(r.value(), StandardCharsets.UTF_8), JsonNode.class);
            } catch (CloudEventCodec.MalformedEventException | RuntimeException e) {
                LOG.debugf("skipped %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            written += indexer.handle(event);
        }
        int total = written;
        return () -> indexed.increment(total);
    }
}
