package io.defensebuilders.billing.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.defensebuilders.billing.service.MeteringService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * One Kafka consumer of usage events, on a thread of its own. Each poll is one batch: read the records, meter them
 * in one database transaction ({@link MeteringService}), dead-letter what cannot be metered and wait for the broker
 * to have it, and only then commit the offsets. A crash anywhere before the offset commit redelivers the batch, and
 * the deduplication ledger written in the metering transaction makes the redelivery change nothing. A failed batch
 * is rewound and retried with backoff: the consumer never skips a record and never stops on bad input.
 */
public final class IngestLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(IngestLoop.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);

    /** Fault injection, for tests that crash the loop between its two commits. */
    public interface Faults {
        Faults NONE = new Faults() {
        };

        /** Called after the database commit and before anything else of the batch. */
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
    public record Stats(long consumed, long accepted, long ignored, long duplicates, long deadLettered,
            long failedBatches) {
    }

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final String groupId;
    private final String deadLetterTopic;
    private final UsageEventReader reader;
    private final MeteringService metering;
    private final DeadLetters deadLetters;
    private final Faults faults;
    private final Duration pollTimeout;
    private final Duration maxBackoff;
    private final MeterRegistry registry;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final Counter consumedCounter;
    private final Counter acceptedCounter;
    private final Counter ignoredCounter;
    private final Counter duplicatesCounter;
    private final Counter deadLetteredCounter;
    private final Counter failedCounter;
    private final Timer batchTimer;
    private volatile boolean running = true;
    private volatile boolean finished;
    private volatile Thread thread;

    IngestLoop(Consumer<String, byte[]> consumer, String topic, String groupId, String deadLetterTopic,
            UsageEventReader reader, MeteringService metering, DeadLetters deadLetters, Faults faults,
            Duration pollTimeout, Duration maxBackoff, MeterRegistry registry) {
        this.consumer = consumer;
        this.topic = topic;
        this.groupId = groupId;
        this.deadLetterTopic = deadLetterTopic;
        this.reader = reader;
        this.metering = metering;
        this.deadLetters = deadLetters;
        this.faults = faults;
        this.pollTimeout = pollTimeout;
        this.maxBackoff = maxBackoff;
        this.registry = registry;
        this.consumedCounter = counter("dbp.billing.usage.consumed", "usage records polled from Kafka");
        this.acceptedCounter = counter("dbp.billing.usage.accepted", "new usage events aggregated by at least one meter");
        this.ignoredCounter = counter("dbp.billing.usage.ignored", "new usage events no meter matches");
        this.duplicatesCounter = counter("dbp.billing.usage.duplicates", "usage events already metered (redeliveries)");
        this.deadLetteredCounter = counter("dbp.billing.usage.dead.lettered", "usage records sent to the dead-letter topic");
        this.failedCounter = counter("dbp.billing.usage.failed.batches", "batches rewound and retried after a failure");
        this.batchTimer = Timer.builder("dbp.billing.usage.batch").description("time to meter one polled batch, offset commit included")
                .tag("topic", topic).publishPercentiles(0.5, 0.99).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tag("topic", topic).register(registry);
    }

    /** Starts the loop on a thread of its own. */
    public IngestLoop start() {
        thread = Thread.ofPlatform().name("billing-ingest-" + topic).daemon().start(this);
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

    /** Whether the loop has ended (stopped, or crashed on purpose). */
    public boolean finished() {
        return finished;
    }

    public Stats stats() {
        return new Stats(consumed.get(), accepted.get(), ignored.get(), duplicates.get(), deadLettered.get(),
                failedBatches.get());
    }

    @Override
    public void run() {
        KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(consumer);
        kafkaMetrics.bindTo(registry);
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
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
                    // the database or the broker is away, or a bug: nothing of this batch was acknowledged, so
                    // rewind and retry it; the ledger absorbs what the failed attempt may already have committed
                    failedBatches.incrementAndGet();
                    failedCounter.increment();
                    backoffMillis = Math.min(Math.max(100, backoffMillis * 2), maxBackoff.toMillis());
                    LOG.warnf(e, "usage batch of %d records failed; retrying in %d ms", records.count(), backoffMillis);
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
            // successful batch left them, as after a killed process (leaving the group just spares the session timeout)
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
        List<MeteringService.Positioned> events = new ArrayList<>(batch.size());
        List<MeteringService.Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            UsageEventReader.Read read = reader.read(batch.get(i).value(), now);
            if (read.event() != null) {
                events.add(new MeteringService.Positioned(i, read.event()));
            } else {
                rejected.add(new MeteringService.Rejected(i, read.rejection()));
            }
        }

        MeteringService.Outcome outcome = metering.meter(events);
        faults.afterDatabaseCommit();
        rejected.addAll(outcome.rejected());

        List<Future<RecordMetadata>> sends = new ArrayList<>(rejected.size());
        for (MeteringService.Rejected r : rejected) {
            sends.add(deadLetters.send(deadLetterTopic, groupId, batch.get(r.position()), r.reason()));
        }
        if (!sends.isEmpty()) {
            deadLetters.flush();
            awaitAll(sends);
        }

        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> of = records.records(tp);
            pending.put(tp, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        commitPending(records.partitions());

        accepted.addAndGet(outcome.accepted());
        ignored.addAndGet(outcome.ignored());
        duplicates.addAndGet(outcome.duplicates());
        deadLettered.addAndGet(rejected.size());
        acceptedCounter.increment(outcome.accepted());
        ignoredCounter.increment(outcome.ignored());
        duplicatesCounter.increment(outcome.duplicates());
        deadLetteredCounter.increment(rejected.size());
        batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + DEAD_LETTER_TIMEOUT.toNanos();
        for (Future<RecordMetadata> f : sends) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Commits the processed offsets of {@code partitions}. A failure is not a batch failure: the metering is
     * committed already, and the offsets go out with the next commit (or the records are redelivered, to no effect).
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

    /**
     * Rebalances happen inside {@code poll}, between batches, so a revoked partition has nothing in flight: its
     * processed offsets are committed before it goes (or, if that fails, its new owner gets a redelivery that the
     * ledger turns into nothing). A lost partition cannot be committed at all; the same holds.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitPending(partitions);
            partitions.forEach(pending::remove);
            LOG.debugf("%s: revoked %s", groupId, partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(pending::remove);
            LOG.infof("%s: lost %s", groupId, partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debugf("%s: assigned %s", groupId, partitions);
        }
    }
}
