package io.defensebuilders.platform.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The relay hands the writer's trace to Kafka: the structured event's own traceparent, and nothing else. */
class OutboxRelayTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theEventsTopLevelTraceparentBecomesTheHeader() {
        assertEquals(TRACEPARENT, OutboxRelay.traceparent("{\"specversion\":\"1.0\",\"data\":{\"traceparent\":\"x\","
                + "\"nested\":[1,{\"a\":2}]},\"traceparent\":\"" + TRACEPARENT + "\",\"id\":\"1\"}"));
    }

    @Test
    void anEventWithoutOneOrNotJsonHasNone() {
        assertNull(OutboxRelay.traceparent("{\"specversion\":\"1.0\",\"data\":{\"traceparent\":\"" + TRACEPARENT
                + "\"}}"), "a traceparent inside data is the payload's, not the event's");
        assertNull(OutboxRelay.traceparent("{\"traceparent\":null}"));
        assertNull(OutboxRelay.traceparent("not json"));
        assertNull(OutboxRelay.traceparent("[]"));
    }
}
