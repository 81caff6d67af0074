package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A CloudEvents 1.0 event in structured JSON mode ({@code application/cloudevents+json}), as every Kafka topic
 * of the platform carries it. {@code id} is the idempotency key: consumers deduplicate on ({@code source},
 * {@code id}). {@code tenant} and {@code traceparent} are extension attributes (the latter from the CloudEvents
 * Distributed Tracing extension).
 *
 * @param <T> the payload type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T>(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        String dataschema,
        String tenant,
        String traceparent,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    /** Content type of a structured-mode event (the Kafka record's content-type header). */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException("unsupported CloudEvents specversion: " + specversion);
        }
        if (id.isEmpty() || source.isEmpty() || type.isEmpty()) {
            throw new IllegalArgumentException("id, source and type must not be empty");
        }
    }

    /** A new JSON event; {@code id} must be stable for the fact it reports, so a retry carries the same id. */
    public static <T> CloudEvent<T> of(String id, String source, String type, String tenant, String subject, Instant time,
            T data) {
        return new CloudEvent<>(SPEC_VERSION, id, source, type, subject, time, "application/json", null, tenant, null,
                data);
    }

    /** The same event with a W3C traceparent attached. */
    public CloudEvent<T> withTraceparent(String value) {
        return new CloudEvent<>(specversion, id, source, type, subject, time, datacontenttype, dataschema, tenant, value,
                data);
    }

    /** The key consumers deduplicate on. */
    public String idempotencyKey() {
        return source + "\n" + id;
    }
}
