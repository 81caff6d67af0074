package io.defensebuilders.platform.events;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.events.CloudEvent;

/** CloudEvents 1.0 structured JSON mode, both ways, with the platform's JSON settings (ISO-8601 instants). */
@ApplicationScoped
public class CloudEventCodec {

    private final ObjectMapper mapper;

    public CloudEventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String encode(CloudEvent<?> event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    /**
     * Reads a structured-mode event whose data is a {@code dataType}. A consumer sends whatever this refuses to its
     * dead-letter topic, with the exception's message as the reason.
     */
    public <T> CloudEvent<T> decode(String json, Class<T> dataType) throws MalformedEventException {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record");
        }
        JavaType type = mapper.getTypeFactory().constructParametricType(CloudEvent.class, dataType);
        try {
            CloudEvent<T> event = mapper.readValue(json, type);
            if (event.data() == null) {
                throw new MalformedEventException("event " + event.id() + " has no data");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a CloudEvents 1.0 JSON event with " + dataType.getSimpleName()
                    + " data: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("invalid CloudEvent: " + e.getMessage());
        }
    }

    /** An event a consumer cannot use; the message says why. */
    public static class MalformedEventException extends Exception {
        public MalformedEventException(String reason) {
            super(reason);
        }
    }
}
