package io.defensebuilders.gateway.usage;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
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
    record Line(long epochMillis, String requestId, String method, String path, int status, double millis,
            long bytesIn, long bytesOut, String tenant, String subject, String upstream, String traceId) {
    }

    private final Handoff<Line> lines = new Handoff<>(CAPACITY, 4096, PAUSE_MILLIS);
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    /** The lines formatted and not yet written; only the writer thread touches it. */
    private final StringBuilder block = new StringBuilder(BLOCK * 2);
    private final StringBuilder line = new StringBuilder(512);

    private final Counter dropped;

    public AccessLog(MeterRegistry meters) {
        this.dropped = Counter.builder("dbp.gateway.accesslog.dropped")
                .description("access-log lines lost to a full queue (standard output blocked)").register(meters);
    }

    void start(@Observes StartupEvent event) {
        lines.start("access-log", this::append, this::write);
    }

    public void log(String requestId, String method, String path, int status, double millis, long bytesIn, long bytesOut,
            String tenant, String subject, String upstream) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // a full queue (standard output blocked for long) loses lines rather than stalling calls
        // the call's trace, so that a line leads to its spans (null when the call is not traced)
        SpanContext span = Span.current().getSpanContext();
        if (!lines.offer(new Line(System.currentTimeMillis(), requestId, method, path, status, millis, bytesIn,
                bytesOut, tenant, subject, upstream, span.isValid() ? span.getTraceId() : null))) {
            dropped.increment();
        }
    }

    /** Formats lines into the block, writing it whenever the next line would take it past {@value #BLOCK} bytes. */
    private void append(List<Line> batch) {
        for (Line l : batch) {
            line.setLength(0);
            format(line, l);
            if (block.length() + line.length() > BLOCK) {
                write();
            }
            block.append(line);
        }
    }

    private void write() {
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
        Json.quote(out, l.upstream()).append(",\"traceId\":");
        Json.quote(out, l.traceId()).append("}\n");
    }

    /** Graceful shutdown: the lines of answered calls are written before the process ends. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        lines.stop(Duration.ofSeconds(5));
    }
}
