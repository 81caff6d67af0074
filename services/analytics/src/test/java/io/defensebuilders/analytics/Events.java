package io.defensebuilders.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.kafka.EventSender;

/**
 * Builds CloudEvents as maps (so tests can break them) and sends them to the real broker keyed by tenant
 * ({@link EventSender}: waiting on the group's committed offsets).
 */
public final class Events extends EventSender<Events> {

    /** The type tests use: configured (in %test) with dimensions kind and region and value amount. */
    public static final String TEST_TYPE = "io.defensebuilders.tests.v1";
    /** Whole hour, a day back: every test's minutes are valid, inside the retention and fixed. */
    public static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A CloudEvent as a map, to be tweaked before sending. */
    public static Map<String, Object> event(String id, String source, String type, String tenant, Instant time,
            Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", source);
        e.put("type", type);
        e.put("time", time.toString());
        e.put("datacontenttype", "application/json");
        e.put("tenant", tenant);
        e.put("data", data);
        return e;
    }

    /** A test-type event with a fresh id. */
    public static Map<String, Object> test(String tenant, Instant time, String kind, String region, String amount) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", kind);
        data.put("region", region);
        data.put("amount", amount);
        return event(UUID.randomUUID().toString(), "/tests/analytics", TEST_TYPE, tenant, time, data);
    }

    public Events send(String topic, Map<String, Object> event) {
        try {
            return sendRaw(topic, String.valueOf(event.get("tenant")), JSON.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Events send(String topic, List<Map<String, Object>> events) {
        events.forEach(e -> send(topic, e));
        return this;
    }
}
