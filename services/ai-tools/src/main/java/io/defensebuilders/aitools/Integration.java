package io.defensebuilders.aitools;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A tenant's link to GitHub or Slack: where deliveries come from ({@code target}: a repository or a workspace) and,
 * for GitHub, the SDK its releases publish. Its secrets are kept apart, sealed (never in this record).
 */
public record Integration(UUID id, String tenant, Kind kind, String target, String sdk, boolean hasToken,
        String createdBy, Instant createdAt) {

    /** Where deliveries come from. */
    public enum Kind {
        GITHUB,
        SLACK;

        @JsonValue
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
