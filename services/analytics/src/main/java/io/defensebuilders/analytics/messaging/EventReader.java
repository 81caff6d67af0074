package io.defensebuilders.analytics.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.analytics.AnalyticsEvent;
import io.defensebuilders.analytics.service.TypeRules;

/**
 * Reads a Kafka record as a CloudEvents 1.0 structured JSON event, generically: id, source, type, time, the
 * tenant extension, subject and data, and the dimensions and value its type is configured with. Payload records of
 * libs/contracts are not used on purpose: analytics keeps every type, also those it has never heard of.
 */
@ApplicationScoped
public class EventReader {

    /** Longest id, source, type, subject or tenant kept; longer ones are refused rather than cut (they are keys). */
    static final int MAX_ATTRIBUTE_LENGTH = 512;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private final ObjectMapper mapper;
    private final TypeRules rules;

    public EventReader(ObjectMapper mapper, TypeRules rules) {
        this.mapper = mapper;
        this.rules = rules;
    }

    /** An event, or why the record is not one. */
    public record Read(AnalyticsEvent event, String rejection) {
        static Read reject(String reason) {
            return new Read(null, reason);
        }
    }

    /**
     * @param recordTimestamp the Kafka record's timestamp, the time of an event that has none
     * @param earliest events before this instant are refused (their day is past the raw retention)
     * @param maxFuture how far after {@code now} an event may lie
     */
    public Read read(String topic, byte[] value, long recordTimestamp, Instant now, Instant earliest, Duration maxFuture) {
        if (value == null || value.length == 0) {
            return Read.reject("empty record");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (IOException e) {
            return Read.reject("not JSON");
        }
        if (root == null || !root.isObject()) {
            return Read.reject("not a JSON object");
        }
        if (!"1.0".equals(text(root, "specversion"))) {
            return Read.reject("not a CloudEvents 1.0 event (specversion)");
        }
        String id = text(root, "id");
        String source = text(root, "source");
        String type = text(root, "type");
        if (blank(id) || blank(source) || blank(type)) {
            return Read.reject("id, source and type are required");
        }
        String subject = text(root, "subject");
        JsonNode data = root.get("data");
        String tenant = text(root, "tenant");
        if (blank(tenant) && data != null && data.isObject()) {
            tenant = text(data, "tenant");
        }
        tenant = tenant == null ? "" : tenant.strip();
        for (String s : new String[] { id, source, type, subject, tenant }) {
            if (s != null && s.length() > MAX_ATTRIBUTE_LENGTH) {
                return Read.reject("an attribute is longer than " + MAX_ATTRIBUTE_LENGTH + " characters");
            }
        }
        Instant time;
        try {
            time = time(root, data, recordTimestamp);
        } catch (DateTimeParseException e) {
            return Read.reject("time is not an RFC 3339 timestamp");
        }
        if (time.isBefore(EARLIEST) || time.isBefore(earliest)) {
            return Read.reject("time " + time + " is before the raw retention (" + earliest + ")");
        }
        if (time.isAfter(now.plus(maxFuture))) {
            return Read.reject("time " + time + " is more than " + maxFuture + " ahead");
        }
        TypeRules.Rule rule = rules.rule(type);
        Map<String, String> dims = Map.of();
        java.math.BigDecimal v = null;
        String dataJson = null;
        if (data != null && !data.isNull()) {
            dims = TypeRules.dimensions(rule, data);
            v = TypeRules.value(rule, data);
            dataJson = data.toString();
        }
        return new Read(new AnalyticsEvent(source, id, type, time, tenant, subject, topic, dims, v, dataJson), null);
    }

    private static Instant time(JsonNode root, JsonNode data, long recordTimestamp) {
        String t = text(root, "time");
        if (blank(t) && data != null && data.isObject()) {
            t = text(data, "occurredAt");
        }
        if (blank(t)) {
            return Instant.ofEpochMilli(recordTimestamp);
        }
        return OffsetDateTime.parse(t.strip()).toInstant();
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
