package io.defensebuilders.gateway.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Usage events on their way to Kafka, also in local files, so that a gateway killed without warning (SIGKILL, an OOM
 * kill, a node's kubelet) sends them when it starts again. Each event is appended as one line (its CloudEvent JSON)
 * to the current segment with one {@code write} into the page cache, no {@code fsync}: it survives the death of the
 * process, not of the machine. The sending thread rolls to a new segment about every second and deletes an old one
 * once no writer can still hold it and Kafka has acknowledged every event written to it. At start, what a previous
 * process left is read back and sent again with the same event ids; the consumers (billing, analytics) deduplicate
 * by id, so an event that had reached Kafka before the kill counts once.
 *
 * <p>
 * The directory must belong to this gateway alone and survive its restarts: in Kubernetes an {@code emptyDir}
 * volume (it outlives a container restart in the same pod; a pod that is deleted has drained gracefully).
 */
final class UsageJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UsageJournal.class);
    private static final String PREFIX = "usage-";
    private static final String SUFFIX = ".jsonl";
    /** A writer that took a segment before the roll finishes its write well within this. */
    private static final long CLOSE_AFTER_NANOS = 2_000_000_000L;

    /** One file of events; counts what was written to it and what Kafka acknowledged of it. */
    static final class Segment {
        private final Path file;
        private final FileChannel channel;
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final long openedNanos = System.nanoTime();
        private long retiredNanos;
        private boolean closed;

        private Segment(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        /** Kafka has the event. */
        void acknowledged() {
            acknowledged.incrementAndGet();
        }
    }

    /** An event read back from a previous process's segment. */
    record Recovered(Segment segment, String json) {
    }

    private final Path dir;
    private final long rollNanos;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Runnable onWriteError;
    private volatile Segment current;
    private volatile boolean closing;
    /** Segments no longer written to, waiting for their last acknowledgements; changed by the sending thread only. */
    private final List<Segment> retired = new CopyOnWriteArrayList<>();

    UsageJournal(Path dir, long rollMillis, Runnable onWriteError) {
        this.dir = dir;
        this.rollNanos = rollMillis * 1_000_000;
        this.onWriteError = onWriteError;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the usage journal " + dir, e);
        }
    }

    /**
     * The events a previous process wrote and may not have sent, each tied to a segment that is deleted once all of
     * its events are acknowledged. A line cut short by the kill is skipped.
     */
    List<Recovered> recover() {
        List<Recovered> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage journal " + dir, e);
        }
        int cut = 0;
        for (Path file : files) {
            Segment segment = new Segment(file, null);
            segment.closed = true;
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int start = 0;
                int end;
                while ((end = text.indexOf('\n', start)) >= 0) {
                    String line = text.substring(start, end);
                    start = end + 1;
                    if (line.startsWith("{") && line.endsWith("}")) {
                        segment.written.incrementAndGet();
                        out.add(new Recovered(segment, line));
                    } else if (!line.isEmpty()) {
                        cut++;
                    }
                }
                if (start < text.length()) {
                    cut++; // the last write was cut short: its call was never answered
                }
            } catch (IOException | RuntimeException e) {
                LOG.errorf("usage journal segment %s cannot be read (%s): left in place", file, e.toString());
                continue;
            }
            retired.add(segment);
        }
        if (!out.isEmpty() || cut > 0) {
            LOG.infof("usage journal: %d events of a previous run are sent again (%d cut-short lines skipped)",
                    out.size(), cut);
        }
        return out;
    }

    /**
     * Appends one event (a line without line breaks); the segment it went to, to acknowledge it later, or null when
     * it could not be written (counted; the event is still sent).
     */
    Segment append(byte[] line) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Segment segment = current;
            if (segment == null) {
                break;
            }
            segment.written.incrementAndGet();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    segment.channel.write(buffer);
                }
                return segment;
            } catch (ClosedChannelException e) {
                segment.written.decrementAndGet(); // rolled and closed under a writer that stalled: the next one
            } catch (IOException e) {
                segment.written.decrementAndGet();
                break;
            }
        }
        onWriteError.run();
        return null;
    }

    /**
     * The sending thread's upkeep: opens the first segment, rolls to a new one when the current is older than the
     * roll interval and has events, closes retired ones no writer can still hold, deletes those fully acknowledged.
     */
    void maintain() {
        long now = System.nanoTime();
        Segment segment = current;
        if (!closing && (segment == null || segment.written.get() > 0 && now - segment.openedNanos >= rollNanos)) {
            Segment next = open();
            if (next != null) {
                current = next;
                if (segment != null) {
                    segment.retiredNanos = now;
                    retired.add(segment);
                }
            }
        }
        for (Segment old : retired) {
            if (!old.closed && now - old.retiredNanos >= CLOSE_AFTER_NANOS) {
                closeQuietly(old);
            }
            if (old.closed && old.acknowledged.get() >= old.written.get()) {
                try {
                    Files.deleteIfExists(old.file);
                    retired.remove(old);
                } catch (IOException e) {
                    LOG.warnf("usage journal segment %s cannot be deleted: %s", old.file, e.toString());
                }
            }
        }
    }

    /** Events written and not yet acknowledged, over every segment (for a gauge and the shutdown's log line). */
    int unacknowledged() {
        int n = 0;
        Segment segment = current;
        if (segment != null) {
            n += segment.written.get() - segment.acknowledged.get();
        }
        for (Segment old : retired) {
            n += old.written.get() - old.acknowledged.get();
        }
        return n;
    }

    /**
     * After the last event was handed over (graceful shutdown): the current segment is retired and closed, and every
     * fully acknowledged one deleted; what Kafka did not take stays for the next start.
     */
    @Override
    public void close() {
        closing = true;
        Segment segment = current;
        current = null;
        if (segment != null) {
            retired.add(segment);
        }
        for (Segment old : retired) {
            old.retiredNanos = System.nanoTime() - CLOSE_AFTER_NANOS;
        }
        maintain();
        for (Segment old : retired) {
            closeQuietly(old);
        }
        int left = unacknowledged();
        if (left > 0) {
            LOG.warnf("usage journal: %d events not acknowledged by Kafka stay in %s and are sent at the next start",
                    left, dir);
        }
    }

    private Segment open() {
        Path file = dir.resolve(PREFIX + sequence.incrementAndGet() + SUFFIX);
        try {
            return new Segment(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            LOG.warnf("usage journal: cannot open %s (%s); events are sent without it until it can", file, e.toString());
            return null;
        }
    }

    private static void closeQuietly(Segment segment) {
        segment.closed = true;
        if (segment.channel != null) {
            try {
                segment.channel.close();
            } catch (IOException ignored) {
                // nothing was buffered in Java: every write went to the kernel
            }
        }
    }
}
