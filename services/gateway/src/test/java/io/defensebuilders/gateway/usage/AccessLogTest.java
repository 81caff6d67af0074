package io.defensebuilders.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An access-log line is one JSON object on one line, whatever the path or the caller's names hold; lines the queue
 * cannot take are counted.
 */
class AccessLogTest {

    @Test
    void aLineIsOneJsonObjectWithTheCallsFields() throws Exception {
        String odd = "we \"quote\", back\\slash, tab\t and newline\n and \u0001";
        StringBuilder out = new StringBuilder();
        AccessLog.format(out, new AccessLog.Line(1_764_633_600_000L, "r-1", "POST", "/api/v1/sdks/" + odd, 201, 3.14159,
                12, 345, "t-1", odd, "sdk-registry", "4bf92f3577b34da6a3ce929d0e0e4736"));
        String text = out.toString();
        assertTrue(text.endsWith("\n"));
        assertEquals(text.length() - 1, text.indexOf('\n'), "exactly one line: " + text);
        JsonNode line = new ObjectMapper().readTree(text);
        assertEquals("2025-12-02T00:00:00Z", line.get("time").asText());
        assertEquals("dbp.access", line.get("logger").asText());
        assertEquals("/api/v1/sdks/" + odd, line.get("path").asText());
        assertEquals(odd, line.get("subject").asText());
        assertEquals(201, line.get("status").asInt());
        assertEquals(3.14, line.get("ms").asDouble(), 1e-9);
        assertEquals(12, line.get("bytesIn").asLong());
        assertEquals(345, line.get("bytesOut").asLong());
        assertEquals("sdk-registry", line.get("upstream").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", line.get("traceId").asText());
        StringBuilder untraced = new StringBuilder();
        AccessLog.format(untraced, new AccessLog.Line(0, "r-2", "GET", "/", 200, 1, 0, 0, "t", "s", "u", null));
        assertTrue(new ObjectMapper().readTree(untraced.toString()).get("traceId").isNull(), untraced.toString());
    }

    @Test
    void linesLostToAFullQueueAreCounted() {
        // the writer thread is not started: nothing drains the queue, as when standard output is blocked
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AccessLog log = new AccessLog(meters);
        for (int i = 0; i < 100_003; i++) {
            log.log("r-" + i, "GET", "/api/v1/x", 200, 0.1, 0, 10, "t-1", "key:k", "x");
        }
        assertEquals(3.0, meters.get("dbp.gateway.accesslog.dropped").counter().count());
    }
}
