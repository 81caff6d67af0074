package io.defensebuilders.gateway.usage;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * One JSON line per proxied call on standard output: when, who, what, how it went. Never the query string, headers
 * or bodies, so no credential or personal data ends up in it. The request path only queues the call; a background
 * thread formats the lines and writes them in blocks of whole lines (at most 4 KiB, which a pipe writes atomically,
 * so they never interleave with other output), about every {@value #PAUSE_MILLIS} ms. The lines bypass the log
 * handlers, whose per-record formatting and flushing would cost more than the call itself; the {@code dbp.access}
 * log category's level still switches them on (INFO) and off.
 */
@Singleton
public class AccessLog {

    private static final Logger LOG = Logger.getLogger("dbp.access");
    private static final int CAPACITY = 100_000;
    private static final int BLOCK = 4096;
    private static final long PAUSE_MILLIS = 20;

    /** One answered call, as the request path hands it over. */
    private record Line(long epochMillis, String requestId, String method, String path, int status, double millis,
            long bytesIn, long bytesOut, String tenant, String subject, String upstream) {
    }

    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private volatile boolean running = true;
    private Thread writer;

    void start(@Observes StartupEvent event) {
        writer = Thread.ofPlatform().name("access-log").daemon().start(this::run);
    }

    public void log(String requestId, String method, String path, int status, double millis, long bytesIn, long bytesOut,
            String tenant, String subject, String upstream) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // a full queue (standard output blocked for long) loses lines rather than stalling calls
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            return;
        }
        queue.offer(new Line(System.currentTimeMillis(), requestId, method, path, status, millis, bytesIn, bytesOut,
                tenant, subject, upstream));
    }

    private void run() {
        StringBuilder block = new StringBuilder(BLOCK * 2);
        StringBuilder line = new StringBuilder(512);
        while (running || !queue.isEmpty()) {
            Line next = queue.poll();
            if (next == null) {
                write(block);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS));
                continue;
            }
            queued.decrementAndGet();
            line.setLength(0);
            format(line, next);
            if (block.length() + line.length() > BLOCK) {
                write(block);
            }
            block.append(line);
        }
        write(block);
    }

    private void write(StringBuilder block) {
        if (block.isEmpty()) {
            return;
        }
        try {
            out.write(block.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // standard output is gone: nothing to tell it to
        }
        block.setLength(0);
    }

    static void format(StringBuilder out, Line l) {
        out.append("{\"time\":\"").append(Instant.ofEpochMilli(l.epochMillis())).append("\",\"logger\":\"dbp.access\"")
                .append(",\"requestId\":");
        Json.quote(out, l.requestId()).append(",\"method\":");
        Json.quote(out, l.method()).append(",\"path\":");
        Json.quote(out, l.path()).append(",\"status\":").append(l.status()).append(",\"ms\":")
                .append(Math.round(l.millis() * 100) / 100.0).append(",\"bytesIn\":").append(l.bytesIn())
                .append(",\"bytesOut\":").append(l.bytesOut()).append(",\"tenant\":");
        Json.quote(out, l.tenant()).append(",\"subject\":");
        Json.quote(out, l.subject()).append(",\"upstream\":");
        Json.quote(out, l.upstream()).append("}\n");
    }

    /** Graceful shutdown: the lines of answered calls are written before the process ends. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (writer != null) {
            LockSupport.unpark(writer);
            writer.join(5_000);
        }
    }
}
