package io.defensebuilders.aitools;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/** One event on its way to one subscription, and how that went. */
public record Notification(UUID id, UUID subscription, String eventId, String type, Status status, int attempts,
        Integer lastStatus, String lastError, JsonNode payload, Instant createdAt, Instant nextAttemptAt,
        Instant deliveredAt) {

    /** Where it stands. */
    public enum Status {
        /** Not delivered yet; tried (again) at {@code nextAttemptAt}. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Every attempt failed: a dead letter, kept until replayed or too old. */
        DEAD;

        @JsonValue
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
