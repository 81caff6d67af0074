package io.defensebuilders.billing.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.UsageEvent;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;

/**
 * Reads a {@code usage.v1} record: a CloudEvents 1.0 structured JSON event of type {@value UsageV1#TYPE} whose data
 * names a tenant, a meter, a quantity and when it occurred. Whatever does not pass is dead-lettered with the reason
 * this gives; nothing here throws for bad input.
 */
@ApplicationScoped
public class UsageEventReader {

    /** Earliest occurredAt accepted; earlier ones are clock or encoding bugs. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far in the future occurredAt may be (producer clock skew). */
    static final Duration MAX_FUTURE = Duration.ofDays(1);

    private final CloudEventCodec codec;

    public UsageEventReader(CloudEventCodec codec) {
        this.codec = codec;
    }

    /** The outcome of reading one record: an event, or the reason there is none. */
    public record Read(UsageEvent event, String rejection) {
        static Read ok(UsageEvent event) {
            return new Read(event, null);
        }

        static Read bad(String reason) {
            return new Read(null, reason);
        }
    }

    public Read read(byte[] value, Instant now) {
        if (value == null || value.length == 0) {
            return Read.bad("empty record");
        }
        CloudEvent<UsageV1> event;
        try {
            event = codec.decode(new String(value, StandardCharsets.UTF_8), UsageV1.class);
        } catch (CloudEventCodec.MalformedEventException e) {
            return Read.bad(e.getMessage());
        } catch (RuntimeException e) {
            return Read.bad("unreadable event: " + e);
        }
        if (!UsageV1.TYPE.equals(event.type())) {
            return Read.bad("type is '" + event.type() + "', expected " + UsageV1.TYPE);
        }
        UsageV1 usage = event.data();
        String problem = firstProblem(
                check("source", event.source(), UsageEvent.MAX_KEY_BYTES),
                check("id", event.id(), UsageEvent.MAX_KEY_BYTES),
                usage.tenant().isBlank() ? "data.tenant is blank"
                        : check("data.tenant", usage.tenant(), UsageEvent.MAX_TENANT_BYTES),
                usage.meter().isBlank() ? "data.meter is blank" : check("data.meter", usage.meter(), UsageEvent.MAX_KEY_BYTES),
                range("data.quantity", UsageEvent.inRange(usage.quantity())));
        if (problem != null) {
            return Read.bad(problem);
        }
        Instant at = usage.occurredAt();
        if (at.isBefore(EARLIEST) || at.isAfter(now.plus(MAX_FUTURE))) {
            return Read.bad("data.occurredAt " + at + " is before " + EARLIEST + " or more than " + MAX_FUTURE.toHours()
                    + " hours ahead of the consumer's clock");
        }
        UsageV1 normalised = new UsageV1(usage.tenant(), usage.meter(), usage.quantity(), usage.subject(),
                at.truncatedTo(ChronoUnit.MICROS), usage.attributes());
        return Read.ok(new UsageEvent(event.source(), event.id(), normalised));
    }

    private static String check(String field, String text, int maxBytes) {
        String why = UsageEvent.storable(text, maxBytes);
        return why == null ? null : field + " " + why;
    }

    private static String range(String field, String why) {
        return why == null ? null : field + " " + why;
    }

    private static String firstProblem(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
