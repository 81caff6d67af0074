package io.defensebuilders.aitools.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.service.NotificationRouter;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The topics notifications come from ({@link BatchConsumerLoop}): each poll's events are routed to the subscriptions
 * they reach in one transaction, then the offsets are committed. A redelivered event adds nothing (a notification is
 * unique per subscription and event). Subscribed by pattern, so a topic created after the start (billing.v1 before
 * the first invoice) is picked up. Records that are not CloudEvents are skipped: other services' topics are never
 * held up.
 */
public final class NotificationLoop extends BatchConsumerLoop {

    private static final Logger LOG = Logger.getLogger(NotificationLoop.class);
    private static final Duration DB = Duration.ofSeconds(30);
    private final Pool pool;
    private final NotificationRouter router;
    private final CloudEventCodec codec;
    private final Counter queued;

    NotificationLoop(Consumer<String, byte[]> consumer, String groupId, Pool pool, NotificationRouter router,
            CloudEventCodec codec, Duration pollTimeout, Duration maxBackoff, MeterRegistry registry) {
        super("ai-tools-notifications", consumer, (c, listener) -> c.subscribe(
                java.util.regex.Pattern.compile(String.join("|", NotificationRouter.TOPICS.stream()
                        .map(java.util.regex.Pattern::quote).toList())),
                listener),
                groupId, Faults.NONE, pollTimeout, maxBackoff, registry,
                new Meters(Counter.builder("dbp.ai_tools.notifications.events.consumed")
                        .description("platform events read for notifications").register(registry),
                        Counter.builder("dbp.ai_tools.notifications.failed.batches")
                                .description("batches rewound and retried after a failure").register(registry),
                        Timer.builder("dbp.ai_tools.notifications.batch").description("time to route one polled batch")
                                .register(registry)));
        this.pool = pool;
        this.router = router;
        this.codec = codec;
        this.queued = Counter.builder("dbp.ai_tools.notifications.queued").description("notifications queued")
                .register(registry);
    }

    @Override
    protected Runnable handle(List<ConsumerRecord<String, byte[]>> batch) {
        int added = pool.withTransaction(tx -> io.smallrye.mutiny.Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(r -> {
                    CloudEvent<JsonNode> event;
                    try {
                        event = codec.decode(new String(r.value(), StandardCharsets.UTF_8), JsonNode.class);
                    } catch (CloudEventCodec.MalformedEventException | RuntimeException e) {
                        LOG.debugf("skipped %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                        return io.smallrye.mutiny.Uni.createFrom().item(0);
                    }
                    return router.route(tx, r.topic(), event);
                }).collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum()))
                .await().atMost(DB);
        return () -> queued.increment(added);
    }
}
