package io.defensebuilders.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.platform.events.Inbox;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The consumer-side helpers of libs/platform-common, on this service's real database. */
@QuarkusTest
class PlatformHelpersTest {

    @Inject
    Inbox inbox;

    @Inject
    CloudEventCodec codec;

    @Inject
    Pool pool;

    private static CloudEvent<UsageV1> usage(String id, String source) {
        return CloudEvent.of(id, source, UsageV1.TYPE, "t1", "s", Instant.parse("2026-11-21T10:00:00Z"),
                new UsageV1("t1", UsageV1.API_CALL, new BigDecimal("2.5"), "u1", Instant.parse("2026-11-21T10:00:00Z"),
                        Map.of("route", "/x")));
    }

    @Test
    void inboxAcceptsAnEventOncePerSource() {
        String id = UUID.randomUUID().toString();
        CloudEvent<UsageV1> event = usage(id, "/services/a");
        assertTrue(pool.withTransaction(tx -> inbox.firstDelivery(tx, event)).await().atMost(Duration.ofSeconds(10)));
        assertFalse(pool.withTransaction(tx -> inbox.firstDelivery(tx, event)).await().atMost(Duration.ofSeconds(10)));
        // the same id from another source is another event
        assertTrue(pool.withTransaction(tx -> inbox.firstDelivery(tx, usage(id, "/services/b")))
                .await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void inboxForgetsADeliveryWhoseTransactionRolledBack() {
        CloudEvent<UsageV1> event = usage(UUID.randomUUID().toString(), "/services/a");
        assertThrows(RuntimeException.class, () -> pool.withTransaction(tx -> inbox.firstDelivery(tx, event)
                .invoke(first -> {
                    throw new IllegalStateException("the effect failed");
                })).await().atMost(Duration.ofSeconds(10)));
        assertTrue(pool.withTransaction(tx -> inbox.firstDelivery(tx, event)).await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void codecRoundTripsAndRefusesMalformedEvents() throws Exception {
        CloudEvent<UsageV1> event = usage("e-1", "/services/a");
        CloudEvent<UsageV1> back = codec.decode(codec.encode(event), UsageV1.class);
        assertEquals(event, back);
        assertTrue(codec.encode(event).contains("\"time\":\"2026-11-21T10:00:00Z\""));
        for (String bad : new String[] { "", "not json", "{}",
                "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data\":{}}",
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}",
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data\":{\"tenant\":\"t\"}}" }) {
            assertThrows(CloudEventCodec.MalformedEventException.class, () -> codec.decode(bad, UsageV1.class), bad);
        }
    }
}
