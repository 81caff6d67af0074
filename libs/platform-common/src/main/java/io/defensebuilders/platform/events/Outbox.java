package io.defensebuilders.platform.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Transactional outbox: an event is written in the same database transaction as the change it reports, and
 * {@link OutboxRelay} publishes it to Kafka afterwards. A committed change therefore always produces its event
 * (at least once, always with the same id), and a rolled-back change never does.
 */
@ApplicationScoped
public class Outbox {

    private final CloudEventCodec codec;

    public Outbox(CloudEventCodec codec) {
        this.codec = codec;
    }

    /** Appends {@code event} for {@code topic} inside the transaction {@code tx}; the record key is the tenant. */
    public Uni<Void> append(SqlClient tx, String topic, CloudEvent<?> event) {
        Row row = row(topic, event);
        return tx.preparedQuery("INSERT INTO event_outbox (topic, record_key, event_id, payload) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(row.topic(), row.recordKey(), row.eventId(), row.payload()))
                .replaceWithVoid();
    }

    /**
     * The outbox row {@link #append} writes, for a transaction that is not on a Vert.x {@link SqlClient} (Hibernate
     * Reactive's session in a service that keeps an aggregate on Panache), so that both write the same row.
     */
    public Row row(String topic, CloudEvent<?> event) {
        CloudEvent<?> traced = event.traceparent() == null ? event.withTraceparent(currentTraceparent()) : event;
        return new Row(topic, event.tenant(), event.id(), codec.encode(traced));
    }

    /** One row of {@code event_outbox}: its columns topic, record_key, event_id and payload. */
    public record Row(String topic, String recordKey, String eventId, String payload) {
    }

    /** The W3C traceparent of the current span, so consumers continue the producer's trace; null outside one. */
    static String currentTraceparent() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }
}
