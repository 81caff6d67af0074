package io.defensebuilders.billing.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.defensebuilders.billing.UsageEvent;
import io.defensebuilders.billing.service.MeteringService;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.IngestBatches.Positioned;
import io.defensebuilders.platform.events.IngestBatches.Rejected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One Kafka consumer of usage events ({@link BatchConsumerLoop}: one poll, one batch, offsets committed after the
 * database). Each batch is metered in one database transaction ({@link MeteringService}) whose deduplication ledger
 * makes a redelivery change nothing; what cannot be metered is dead-lettered, and the broker must have it before the
 * offsets are committed. The consumer never skips a record and never stops on bad input.
 */
public final class IngestLoop extends BatchConsumerLoop {

    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);

    /** Counts since the loop started. */
    public record Stats(long consumed, long accepted, long ignored, long duplicates, long deadLettered,
            long failedBatches) {
    }

    private final String deadLetterTopic;
    private final UsageEventReader reader;
    private final MeteringService metering;
    private final DeadLetters deadLetters;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Counter acceptedCounter;
    private final Counter ignoredCounter;
    private final Counter duplicatesCounter;
    private final Counter deadLetteredCounter;

    IngestLoop(Consumer<String, byte[]> consumer, String topic, String groupId, String deadLetterTopic,
            UsageEventReader reader, MeteringService metering, DeadLetters deadLetters, Faults faults,
            Duration pollTimeout, Duration maxBackoff, MeterRegistry registry) {
        super("billing-ingest-" + topic, consumer, (c, listener) -> c.subscribe(List.of(topic), listener), groupId,
                faults, pollTimeout, maxBackoff, registry,
                new Meters(counter(registry, topic, "dbp.billing.usage.consumed", "usage records polled from Kafka"),
                        counter(registry, topic, "dbp.billing.usage.failed.batches",
                                "batches rewound and retried after a failure"),
                        Timer.builder("dbp.billing.usage.batch")
                                .description("time to meter one polled batch, offset commit included").tag("topic", topic)
                                .publishPercentiles(0.5, 0.99).register(registry)));
        this.deadLetterTopic = deadLetterTopic;
        this.reader = reader;
        this.metering = metering;
        this.deadLetters = deadLetters;
        this.acceptedCounter = counter(registry, topic, "dbp.billing.usage.accepted",
                "new usage events aggregated by at least one meter");
        this.ignoredCounter = counter(registry, topic, "dbp.billing.usage.ignored", "new usage events no meter matches");
        this.duplicatesCounter = counter(registry, topic, "dbp.billing.usage.duplicates",
                "usage events already metered (redeliveries)");
        this.deadLetteredCounter = counter(registry, topic, "dbp.billing.usage.dead.lettered",
                "usage records sent to the dead-letter topic");
    }

    private static Counter counter(MeterRegistry registry, String topic, String name, String description) {
        return Counter.builder(name).description(description).tag("topic", topic).register(registry);
    }

    /** Starts the loop on a thread of its own (the main loop is started by {@link UsageConsumer}). */
    public IngestLoop start() {
        startThread();
        return this;
    }

    public Stats stats() {
        return new Stats(consumed(), accepted.get(), ignored.get(), duplicates.get(), deadLettered.get(),
                failedBatches());
    }

    @Override
    protected Runnable handle(List<ConsumerRecord<String, byte[]>> batch) throws Exception {
        Instant now = Instant.now();
        List<Positioned<UsageEvent>> events = new ArrayList<>(batch.size());
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            UsageEventReader.Read read = reader.read(batch.get(i).value(), now);
            if (read.event() != null) {
                events.add(new Positioned<>(i, read.event()));
            } else {
                rejected.add(new Rejected(i, read.rejection()));
            }
        }

        MeteringService.Outcome outcome = metering.meter(events);
        faults.afterDatabaseCommit();
        rejected.addAll(outcome.rejected());

        List<Future<RecordMetadata>> sends = new ArrayList<>(rejected.size());
        for (Rejected r : rejected) {
            sends.add(deadLetters.send(deadLetterTopic, groupId, batch.get(r.position()), r.reason()));
        }
        if (!sends.isEmpty()) {
            deadLetters.flush();
            awaitAll(sends);
        }
        int deadLetteredNow = rejected.size();
        return () -> {
            accepted.addAndGet(outcome.accepted());
            ignored.addAndGet(outcome.ignored());
            duplicates.addAndGet(outcome.duplicates());
            deadLettered.addAndGet(deadLetteredNow);
            acceptedCounter.increment(outcome.accepted());
            ignoredCounter.increment(outcome.ignored());
            duplicatesCounter.increment(outcome.duplicates());
            deadLetteredCounter.increment(deadLetteredNow);
        };
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + DEAD_LETTER_TIMEOUT.toNanos();
        for (Future<RecordMetadata> f : sends) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
