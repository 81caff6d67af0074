package io.defensebuilders.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OTLP/HTTP trace receiver in this JVM: what a collector would be for the fleet's services (their
 * {@code quarkus.otel.exporter.otlp.endpoint}, protocol {@code http/protobuf}). It decodes every
 * {@code POST /v1/traces} with the OpenTelemetry project's own protobuf classes and keeps the spans in memory.
 */
final class TraceReceiver implements AutoCloseable {

    /** One span as exported: the service that exported it ({@code service.name}) and its place in its trace. */
    record Seen(String service, String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind) {
    }

    private static final HexFormat HEX = HexFormat.of();
    private final HttpServer server;
    private final Queue<Seen> spans = new ConcurrentLinkedQueue<>();

    TraceReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/v1/traces", this::receive);
        server.start();
    }

    /** What the services' exporter is pointed at. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The environment that makes a service export its spans here, at once rather than in 5-second batches. */
    Map<String, String> environment() {
        // the SDK on (ServiceLaunch turns it off: a fleet in a test has no collector)
        return Map.of("QUARKUS_OTEL_SDK_DISABLED", "false", "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
    }

    /** Every span received with {@code traceId} (32 lowercase hex digits). */
    List<Seen> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    int received() {
        return spans.size();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.add(new Seen(service, HEX.formatHex(span.getTraceId().toByteArray()),
                                HEX.formatHex(span.getSpanId().toByteArray()),
                                HEX.formatHex(span.getParentSpanId().toByteArray()), span.getName(),
                                span.getKind()));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (KeyValue kv : list) {
            if (kv.getValue().hasStringValue()) {
                out.put(kv.getKey(), kv.getValue().getStringValue());
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
