package io.defensebuilders.platform.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/**
 * A trace that crosses Kafka: the producer's W3C {@code traceparent} travels as a record header (the outbox relay
 * copies it from the event's CloudEvents distributed-tracing attribute), and each record that has one is processed
 * under a span of kind CONSUMER whose parent is the producer's span, named {@code <topic> process} with the OpenTelemetry
 * messaging attributes. A record without one (an event from before, a producer outside the platform) has no span.
 */
final class ConsumerSpans {

    static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.US_ASCII);
        }
    };

    private ConsumerSpans() {
    }

    /** The application's tracer; a no-op one outside a Quarkus application (unit tests). */
    static Tracer tracer() {
        OpenTelemetry otel = OpenTelemetry.noop();
        if (Arc.container() != null) {
            InstanceHandle<OpenTelemetry> handle = Arc.container().instance(OpenTelemetry.class);
            if (handle.isAvailable()) {
                otel = handle.get();
            }
        }
        return otel.getTracer("io.defensebuilders.platform.events");
    }

    /** The context a W3C {@code traceparent} names (invalid when it names none). */
    static Context context(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(String carrier) {
                return List.of(TRACEPARENT);
            }

            @Override
            public String get(String carrier, String key) {
                return TRACEPARENT.equals(key) ? carrier : null;
            }
        });
    }

    /** One started span per record that carries a trace context. */
    static List<Span> start(Tracer tracer, String group, List<ConsumerRecord<String, byte[]>> batch) {
        List<Span> spans = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record.headers(), HEADERS);
            if (!Span.fromContext(parent).getSpanContext().isValid()) {
                continue;
            }
            spans.add(tracer.spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.destination.name", record.topic())
                    .setAttribute("messaging.consumer.group.name", group)
                    .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                    .setAttribute("messaging.kafka.offset", record.offset())
                    .setAttribute("messaging.batch.message_count", batch.size()).startSpan());
        }
        return spans;
    }

    /** Marks the spans of a batch that failed (it is retried, under new spans). */
    static void failed(List<Span> spans, Throwable e) {
        for (Span span : spans) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        }
    }
}
