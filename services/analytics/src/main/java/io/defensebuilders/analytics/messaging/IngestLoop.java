package io.defensebuilders.analytics.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.defensebuilders.analytics.service.IngestService;
import io.defensebuilders.analytics.service.Partitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * One Kafka consumer of every platform topic, on a thread of its own (billing's IngestLoop, generalised to a topic
 * pattern and without a dead-letter topic). Each poll is one batch: read the records, ingest them in one database
 * transaction ({@link IngestService}), and only then commit the offsets. A crash before the offset commit
 * redelivers the batch, and the ledger written in the ingest transaction makes the redelivery change nothing. A
 * failed batch is rewound and retried with backoff. Records that are not usable events are counted and skipped:
 * analytics reads other services' topics and never holds them up.
 */
public final class IngestLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(IngestLoop.class);

    /** Fault injection, for tests that crash the loop between its two commits. */
    public interface Faults {
        Faults NONE = new Faults() {
        };

        /** Called after the database commit and before the offset commit of a batch. */
        default void afterDatabaseCommit() {
        }
    }

    /** Thrown from {@link Faults} to stop the loop on the spot, as a killed process would: no offset commit. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    /** Counts since the loop started. */
    public record Stats(long consumed, long accepted, long duplicates, long rejected, long failedBatches) {
    }

    private final Consumer<String, byte[]> consumer;
    private final Pattern topics;
    private final String groupId;
    private final EventReader reader;
    private final IngestService ingest;
    private final Partitions partitions;
    private final Faults faults;
    private final Duration pollTimeout;
    private final Duration maxBackoff;
    private final Duration maxFuture;
    private final MeterRegistry registry;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final Counter consumedCounter;
    private final Counter acceptedCounter;
    private final Counter duplicatesCounter;
    private final Counter rejectedCounter;
    private final Counter failedCounter;
    private final Timer batchTimer;
    private volatile boolean running = true;
    private volatile boolean finished;
    private volatile Thread thread;

    IngestLoop(Consumer<String, byte[]> consumer, Pattern topics, String groupId, EventReader reader,
            IngestService ingest, Partitions partitions, Faults faults, Duration pollTimeout, Duration maxBackoff,
            Duration maxFuture, MeterRegistry registry) {
        this.consumer = consumer;
        this.topics = topics;
        this.groupId = groupId;
        this.reader = reader;
        this.ingest = ingest;
        this.partitions = partitions;
        this.faults = faults;
        this.pollTimeout = pollTimeout;
        this.maxBackoff = maxBackoff;
        this.maxFuture = maxFuture;
        this.registry = registry;
        this.consumedCounter = counter("dbp.analytics.events.consumed", "records polled from Kafka");
        this.acceptedCounter = counter("dbp.analytics.events.accepted", "new events stored and rolled up");
        this.duplicatesCounter = counter("dbp.analytics.events.duplicates", "events already ingested (redeliveries)");
        this.rejectedCounter = counter("dbp.analytics.events.rejected",
                "records skipped: not CloudEvents, outside the retention, or refused by the database");
        this.failedCounter = counter("dbp.analytics.ingest.failed.batches", "batches rewound and retried after a failure");
        this.batchTimer = Timer.builder("dbp.analytics.ingest.batch")
                .description("time to ingest one polled batch, offset commit included").publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** Starts the loop on a thread of its own. */
    public IngestLoop start() {
        thread = Thread.ofPlatform().name("analytics-ingest-" + groupId).daemon().start(this);
        return this;
    }

    /** Asks the loop to finish its batch, commit and leave the group; waits up to {@code timeout}. */
    public void stop(Duration timeout) throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null && !t.join(timeout)) {
            consumer.wakeup();
            t.join(timeout);
        }
    }

    /** Whether the loop has ended. */
    public boolean finished() {
        return finished;
    }

    public Stats stats() {
        return new Stats(consumed.get(), accepted.get(), duplicates.get(), rejected.get(), failedBatches.get());
    }

    @Override
    public void run() {
        KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(consumer);
        kafkaMetrics.bindTo(registry);
        try {
            consumer.subscribe(topics, new Rebalance());
            long backoffMillis = 0;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    process(records);
                    backoffMillis = 0;
                } catch (SimulatedCrash crash) {
                    throw crash;
                } catch (Exception | LinkageError e) {
                    // the database is away, or a bug: nothing of this batch was acknowledged, so rewind and retry
                    // it; the ledger absorbs what the failed attempt may already have committed
                    failedBatches.incrementAndGet();
                    failedCounter.increment();
                    backoffMillis = Math.min(Math.max(100, backoffMillis * 2), maxBackoff.toMillis());
                    LOG.warnf(e, "batch of %d records failed; retrying in %d ms", records.count(), backoffMillis);
                    rewind(records);
                    Thread.sleep(backoffMillis);
                }
            }
            commitPending(pending.keySet());
        } catch (SimulatedCrash crash) {
            LOG.warnf("ingest loop of %s crashed on purpose; offsets of the last batch are not committed", groupId);
        } catch (WakeupException | InterruptedException e) {
            LOG.debugf("ingest loop of %s interrupted", groupId);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "ingest loop of %s ended unexpectedly", groupId);
        } finally {
            kafkaMetrics.close();
            // auto-commit is off, so closing commits nothing: after a crash the group's offsets stay where the last
            // successful batch left them, as after a killed process
            consumer.close(Duration.ofSeconds(5));
            finished = true;
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) throws Exception {
        long started = System.nanoTime();
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        consumed.addAndGet(batch.size());
        consumedCounter.increment(batch.size());

        Instant now = Instant.now();
        Instant earliest = partitions.earliest(now);
        List<IngestService.Positioned> events = new ArrayList<>(batch.size());
        int refused = 0;
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<String, byte[]> r = batch.get(i);
            EventReader.Read read = reader.read(r.topic(), r.value(), r.timestamp(), now, earliest, maxFuture);
            if (read.event() != null) {
                events.add(new IngestService.Positioned(i, read.event()));
            } else {
                refused++;
                LOG.debugf("skipped %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), read.rejection());
            }
        }

        IngestService.Outcome outcome = ingest.ingest(events);
        faults.afterDatabaseCommit();
        refused += outcome.rejected().size();

        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> of = records.records(tp);
            pending.put(tp, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        commitPending(records.partitions());

        accepted.addAndGet(outcome.accepted());
        duplicates.addAndGet(outcome.duplicates());
        rejected.addAndGet(refused);
        acceptedCounter.increment(outcome.accepted());
        duplicatesCounter.increment(outcome.duplicates());
        rejectedCounter.increment(refused);
        batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /**
     * Commits the processed offsets of {@code partitions}. A failure is not a batch failure: the ingest is committed
     * already, and the offsets go out with the next commit (or the records are redelivered, to no effect).
     */
    private void commitPending(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = pending.get(tp);
            if (o != null) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            offsets.keySet().forEach(pending::remove);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf("offset commit of %s failed (%s); records after the last commit will be redelivered and deduplicated",
                    groupId, e.toString());
            pending.keySet().retainAll(consumer.assignment());
        }
    }

    /** Seeks every partition of a failed batch back to the batch's first record. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    /** Rebalances happen inside poll, between batches: a revoked partition's processed offsets are committed first. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            commitPending(revoked);
            revoked.forEach(pending::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(pending::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            LOG.debugf("%s: assigned %s", groupId, assigned);
        }
    }
}
