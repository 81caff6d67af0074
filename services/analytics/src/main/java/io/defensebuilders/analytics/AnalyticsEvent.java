package io.defensebuilders.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.defensebuilders.platform.events.EventKey;

/**
 * One platform event as analytics keeps it: the CloudEvents envelope read generically, plus the dimensions and
 * value its type's configuration extracts from {@code data}.
 *
 * @param source CloudEvents source (with {@code id}, the deduplication key)
 * @param id CloudEvents id
 * @param type CloudEvents type
 * @param time when it happened (CloudEvents time, else {@code data.occurredAt}, else the record's timestamp)
 * @param tenant the tenant extension (else {@code data.tenant}); {@code ""} when the event names none
 * @param subject CloudEvents subject, may be null
 * @param topic the Kafka topic it came from
 * @param dims configured dimensions, path to value (sorted by path)
 * @param value the configured decimal, or null
 * @param data the data member as JSON text, may be null
 */
public record AnalyticsEvent(String source, String id, String type, Instant time, String tenant, String subject,
        String topic, Map<String, String> dims, BigDecimal value, String data) {

    /** The deduplication key. */
    public EventKey key() {
        return new EventKey(source, id);
    }
}
