package io.defensebuilders.platform.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The loop's offset bookkeeping, on Kafka's own MockConsumer. */
class BatchConsumerLoopTest {

    private static final TopicPartition BUSY = new TopicPartition("usage.v1", 0);
    private static final TopicPartition QUIET = new TopicPartition("integrations.v1", 0);

    /** A consumer whose first {@code failures} offset commits fail as during a cooperative rebalance. */
    private static final class FlakyCommits extends MockConsumer<String, byte[]> {
        private final AtomicInteger failures;

        FlakyCommits(int failures) {
            super("earliest");
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (failures.getAndDecrement() > 0) {
                throw new RebalanceInProgressException("rebalance under way");
            }
            super.commitSync(offsets);
        }
    }

    private static final class Loop extends BatchConsumerLoop {
        final List<ConsumerRecord<String, byte[]>> handled = new CopyOnWriteArrayList<>();

        Loop(FlakyCommits consumer) {
            super("test-loop", consumer, (c, listener) -> {
                c.assign(List.of(BUSY, QUIET));
                ((MockConsumer<String, byte[]>) c).updateBeginningOffsets(Map.of(BUSY, 0L, QUIET, 0L));
            }, "test-group", Faults.NONE, Duration.ofMillis(10), Duration.ofMillis(100), new SimpleMeterRegistry(),
                    new Meters(new SimpleMeterRegistry().counter("consumed"),
                            new SimpleMeterRegistry().counter("failed"), new SimpleMeterRegistry().timer("batch")));
        }

        @Override
        protected Runnable handle(List<ConsumerRecord<String, byte[]>> batch) {
            handled.addAll(batch);
            return null;
        }
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition tp, long offset) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "k", new byte[] { 1 });
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(FlakyCommits consumer) {
        return consumer.committed(Set.of(BUSY, QUIET));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anOffsetWhoseCommitFailedGoesOutWithoutWaitingForThePartitionsNextRecord() throws Exception {
        FlakyCommits consumer = new FlakyCommits(1);
        Loop loop = new Loop(consumer);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(BUSY, 0));
            consumer.addRecord(record(QUIET, 0));
        });
        loop.startThread();
        try {
            // the batch's commit fails; nothing more arrives on either partition
            await("both records handled", () -> loop.handled.size() == 2);
            await("both offsets committed", () -> committed(consumer).values().stream()
                    .filter(o -> o != null && o.offset() == 1).count() == 2);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
        assertEquals(2, loop.handled.size(), "a failed offset commit redelivers nothing");
    }
}
