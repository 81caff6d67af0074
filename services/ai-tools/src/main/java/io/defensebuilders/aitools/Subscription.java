package io.defensebuilders.aitools;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A tenant's subscription: which platform events ({@link NotificationType}) go to which Slack or Teams channel or
 * HTTPS endpoint, with optional filters. The target URL and the signing secret are kept apart, sealed.
 */
public record Subscription(UUID id, String tenant, String name, Channel channel, String targetHost,
        List<String> events, Double minProbability, String minThreatLevel, List<Integer> noradIds, boolean enabled,
        String createdBy, Instant createdAt) {

    /** Where notifications go, and so how they are written. */
    public enum Channel {
        /** A Slack incoming webhook: Block Kit. */
        SLACK,
        /** A Microsoft Teams incoming webhook or Workflows URL: an Adaptive Card. */
        TEAMS,
        /** Any HTTPS endpoint: JSON signed per the Standard Webhooks specification. */
        WEBHOOK;

        @JsonValue
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Channel of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
