package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.EventSender;

/**
 * Builds usage.v1 events and sends them to the real broker as the gateway does (structured CloudEvents, key =
 * tenant; {@link EventSender}: waiting on the group's committed offsets).
 */
public final class UsageEvents extends EventSender<UsageEvents> {

    /** A base time in the recent past, whole hour, so every test's minutes are valid and fixed. */
    public static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));

    private final CloudEventCodec codec;

    public UsageEvents(CloudEventCodec codec) {
        this.codec = codec;
    }

    public static CloudEvent<UsageV1> event(String tenant, String meter, String quantity, Instant at,
            Map<String, String> attributes) {
        return event(UUID.randomUUID().toString(), tenant, meter, quantity, "user-1", at, attributes);
    }

    public static CloudEvent<UsageV1> event(String id, String tenant, String meter, String quantity, String subject,
            Instant at, Map<String, String> attributes) {
        return CloudEvent.of(id, "/tests/billing", UsageV1.TYPE, tenant, subject, at,
                new UsageV1(tenant, meter, new BigDecimal(quantity), subject, at, attributes));
    }

    /** Sends events to {@code topic}, keyed by tenant; returns this for chaining. */
    public UsageEvents send(String topic, List<CloudEvent<UsageV1>> events) {
        for (CloudEvent<UsageV1> e : events) {
            sendRaw(topic, e.data().tenant(), codec.encode(e).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public UsageEvents send(String topic, CloudEvent<UsageV1> event) {
        return send(topic, List.of(event));
    }
}
