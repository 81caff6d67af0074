package io.defensebuilders.analytics.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.defensebuilders.analytics.AnalyticsEvent;
import io.defensebuilders.analytics.service.IngestService;
import io.defensebuilders.analytics.service.Partitions;
import io.defensebuilders.platform.events.BatchConsumerLoop;
import io.defensebuilders.platform.events.IngestBatches;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One Kafka consumer of every platform topic ({@link BatchConsumerLoop}, the loop billing meters with, subscribed to a
 * topic pattern). Each batch is ingested in one database transaction ({@link IngestService}) whose ledger makes a
 * redelivery change nothing. Records that are not usable events are counted and skipped: analytics reads other
 * services' topics and never holds them up, and has no dead-letter topic.
 */
public final class IngestLoop extends BatchConsumerLoop {

    private static final Logger LOG = Logger.getLogger(IngestLoop.class);

    /** Counts since the loop started. */
    public record Stats(long consumed, long accepted, long duplicates, long rejected, long failedBatches) {
    }

    private final EventReader reader;
    private final IngestService ingest;
    private final Partitions partitions;
    private final Duration maxFuture;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Counter acceptedCounter;
    private final Counter duplicatesCounter;
    private final Counter rejectedCounter;

    IngestLoop(Consumer<String, byte[]> consumer, Pattern topics, String groupId, EventReader reader,
            IngestService ingest, Partitions partitions, Faults faults, Duration pollTimeout, Duration maxBackoff,
            Duration maxFuture, MeterRegistry registry) {
        super("analytics-ingest-" + groupId, consumer, (c, listener) -> c.subscribe(topics, listener), groupId, faults,
                pollTimeout, maxBackoff, registry,
                new Meters(counter(registry, "dbp.analytics.events.consumed", "records polled from Kafka"),
                        counter(registry, "dbp.analytics.ingest.failed.batches",
                                "batches rewound and retried after a failure"),
                        Timer.builder("dbp.analytics.ingest.batch")
                                .description("time to ingest one polled batch, offset commit included")
                                .publishPercentiles(0.5, 0.99).register(registry)));
        this.reader = reader;
        this.ingest = ingest;
        this.partitions = partitions;
        this.maxFuture = maxFuture;
        this.acceptedCounter = counter(registry, "dbp.analytics.events.accepted", "new events stored and rolled up");
        this.duplicatesCounter = counter(registry, "dbp.analytics.events.duplicates",
                "events already ingested (redeliveries)");
        this.rejectedCounter = counter(registry, "dbp.analytics.events.rejected",
                "records skipped: not CloudEvents, outside the retention, or refused by the database");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** Starts the loop on a thread of its own (the main loop is started by {@link EventConsumer}). */
    public IngestLoop start() {
        startThread();
        return this;
    }

    public Stats stats() {
        return new Stats(consumed(), accepted.get(), duplicates.get(), rejected.get(), failedBatches());
    }

    @Override
    protected Runnable handle(List<ConsumerRecord<String, byte[]>> batch) throws Exception {
        Instant now = Instant.now();
        Instant earliest = partitions.earliest(now);
        List<IngestBatches.Positioned<AnalyticsEvent>> events = new ArrayList<>(batch.size());
        int refused = 0;
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<String, byte[]> r = batch.get(i);
            EventReader.Read read = reader.read(r.topic(), r.value(), r.timestamp(), now, earliest, maxFuture);
            if (read.event() != null) {
                events.add(new IngestBatches.Positioned<>(i, read.event()));
            } else {
                refused++;
                LOG.debugf("skipped %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), read.rejection());
            }
        }

        IngestService.Outcome outcome = ingest.ingest(events);
        faults.afterDatabaseCommit();
        int refusedNow = refused + outcome.rejected().size();
        return () -> {
            accepted.addAndGet(outcome.accepted());
            duplicates.addAndGet(outcome.duplicates());
            rejected.addAndGet(refusedNow);
            acceptedCounter.increment(outcome.accepted());
            duplicatesCounter.increment(outcome.duplicates());
            rejectedCounter.increment(refusedNow);
        };
    }
}
