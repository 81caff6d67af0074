package io.defensebuilders.platform.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;

/**
 * A Kafka consumer on a thread of its own that turns each poll into one batch handled exactly once: the subclass
 * handles the batch in one database transaction that also records the events in a deduplication ledger, and only then
 * are the offsets committed (auto-commit must be off). A crash anywhere before the offset commit redelivers the batch,
 * and the ledger turns the redelivery into nothing. A failed batch is rewound and retried with backoff: the loop never
 * skips a record. Billing's metering and analytics' ingest are built on it.
 */
public abstract class BatchConsumerLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(BatchConsumerLoop.class);

    /** Fault injection, for tests that crash the loop between its two commits. */
    public interface Faults {
        Faults NONE = new Faults() {
        };

        /** Called by the subclass after its database commit and before the rest of the batch. */
        default void afterDatabaseCommit() {
        }
    }

    /** Thrown from {@link Faults} to stop the loop on the spot, as a killed process would: no offset commit. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final BiConsumer<Consumer<String, byte[]>, ConsumerRebalanceListener> subscribe;
    private final Duration pollTimeout;
    private final Duration maxBackoff;
    private final MeterRegistry registry;
    private final Meters meters;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    /** The consumer group, for logs. */
    protected final String groupId;
    protected final Faults faults;
    private final Tracer tracer;
    private boolean commitFailing;
    private volatile boolean running = true;
    private volatile boolean finished;
    private volatile Thread thread;

    /**
     * The loop's own meters, named by the service.
     *
     * @param consumed counts the records polled
     * @param failedBatches counts batches rewound and retried
     * @param batch times each batch, offset commit included
     */
    public record Meters(Counter consumed, Counter failedBatches, Timer batch) {
    }

    /**
     * The consumer settings every batch loop needs: offsets committed by hand after the database commit (never in the
     * background), a new group starting at the oldest record (what was produced before the service first ran still
     * counts), only committed records of transactional producers, and cooperative rebalancing.
     */
    public static Properties consumerProperties(String bootstrapServers, String groupId, String clientId,
            int maxPollRecords) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return props;
    }

    /**
     * @param name the thread's name
     * @param subscribe subscribes the consumer (to a topic list or a pattern) with the given listener
     */
    protected BatchConsumerLoop(String name, Consumer<String, byte[]> consumer,
            BiConsumer<Consumer<String, byte[]>, ConsumerRebalanceListener> subscribe, String groupId, Faults faults,
            Duration pollTimeout, Duration maxBackoff, MeterRegistry registry, Meters meters) {
        this.name = name;
        this.consumer = consumer;
        this.subscribe = subscribe;
        this.groupId = groupId;
        this.faults = faults;
        this.pollTimeout = pollTimeout;
        this.maxBackoff = maxBackoff;
        this.registry = registry;
        this.meters = meters;
        this.tracer = ConsumerSpans.tracer();
    }

    /**
     * Handles one batch, durably (its database transaction committed) before returning. Throwing rewinds and retries
     * the batch. The answer runs after the offsets are committed (the batch's counts), or is null.
     */
    protected abstract Runnable handle(List<ConsumerRecord<String, byte[]>> batch) throws Exception;

    /** Starts the loop on a thread of its own. */
    protected void startThread() {
        thread = Thread.ofPlatform().name(name).daemon().start(this);
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

    /** Records polled since the loop started (a retried batch counts each time). */
    public long consumed() {
        return consumed.get();
    }

    /** Batches rewound and retried since the loop started. */
    public long failedBatches() {
        return failedBatches.get();
    }

    @Override
    public void run() {
        KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(consumer);
        kafkaMetrics.bindTo(registry);
        try {
            subscribe.accept(consumer, new Rebalance());
            long backoffMillis = 0;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                if (records.isEmpty()) {
                    // offsets whose commit failed (a rebalance under way, the coordinator moving) go out now rather
                    // than with the partition's next record, which on a quiet partition may be hours away
                    commitPending(pending.keySet());
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
                    meters.failedBatches().increment();
                    backoffMillis = Math.min(Math.max(100, backoffMillis * 2), maxBackoff.toMillis());
                    if (e instanceof io.defensebuilders.platform.sql.DatabaseUnavailableException) {
                        LOG.warnf("%s: batch of %d records failed (%s); retrying in %d ms", groupId, records.count(),
                                e.getMessage(), backoffMillis);
                    } else {
                        LOG.warnf(e, "%s: batch of %d records failed; retrying in %d ms", groupId, records.count(),
                                backoffMillis);
                    }
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
        consumed.addAndGet(records.count());
        meters.consumed().increment(records.count());
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        List<Span> spans = ConsumerSpans.start(tracer, groupId, batch);
        try {
            processTraced(records, batch, started);
        } catch (Exception | Error e) {
            ConsumerSpans.failed(spans, e);
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private void processTraced(ConsumerRecords<String, byte[]> records, List<ConsumerRecord<String, byte[]>> batch,
            long started) throws Exception {
        Runnable committed = handle(batch);
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> of = records.records(tp);
            pending.put(tp, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        // with this batch's partitions, those of earlier batches whose commit failed
        commitPending(pending.keySet());
        if (committed != null) {
            committed.run();
        }
        meters.batch().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /**
     * Commits the processed offsets of {@code partitions}. A failure is not a batch failure: the batch is committed
     * in the database already, and the offsets go out with the next commit, after the next batch or the next empty
     * poll (or, if the partition moves meanwhile, its records are redelivered, to no effect).
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
            commitFailing = false;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // once per run of failures: an idle loop retries at every poll
            if (!commitFailing) {
                LOG.warnf("offset commit of %s failed (%s); retrying with the next poll (records after the last"
                        + " commit would be redelivered and deduplicated)", groupId, e.toString());
            } else {
                LOG.debugf("offset commit of %s failed again (%s)", groupId, e.toString());
            }
            commitFailing = true;
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
