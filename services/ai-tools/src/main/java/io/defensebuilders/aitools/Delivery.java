package io.defensebuilders.aitools;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** One delivery an integration received, by the sender's id, and what became of it. */
public record Delivery(UUID integration, String id, String event, Status status, int attempts, String detail,
        Instant receivedAt, Instant updatedAt) {

    /** What became of a delivery. */
    public enum Status {
        /** Checked and recorded (an event on integrations.v1); nothing more to do. */
        RECEIVED,
        /** Work to do (a release to publish), tried again after a failure that may pass. */
        PENDING,
        /** The work is done. */
        DONE,
        /** The work failed for good; {@code detail} says why. */
        FAILED;

        @JsonValue
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
