package io.defensebuilders.inference.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.events.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code usage.v1} meter {@code inference.call}: one per answered call, billed to the calling tenant, written to the
 * outbox before the answer leaves (a call that cannot be recorded is not answered: the caller retries, nothing is
 * served unmetered). Attributes: the model, its version and owner, and the input tensors' element count.
 */
@ApplicationScoped
public class InferenceUsage {

    private static final String SOURCE = "/services/inference";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final Outbox outbox;
    private final Pool pool;
    private final Timer writes;

    public InferenceUsage(Outbox outbox, Pool pool, MeterRegistry metrics) {
        this.outbox = outbox;
        this.pool = pool;
        this.writes = Timer.builder("dbp.inference.usage.writes")
                .description("writing a call's usage event to the outbox (insert and commit), which the answer waits for")
                .register(metrics);
    }

    /** Records one answered call of {@code v} by {@code caller}; {@code elements}: its input elements. */
    public void record(Caller caller, ModelVersion v, long elements, Instant at) {
        UsageV1 data = new UsageV1(caller.tenant(), UsageV1.INFERENCE_CALL, BigDecimal.ONE, caller.subject(), at,
                Map.of("model", v.name(), "version", v.version(), "ownerTenant", v.tenant(),
                        "elements", Long.toString(elements)));
        CloudEvent<UsageV1> event = CloudEvent.of(UUID.randomUUID().toString(), SOURCE, UsageV1.TYPE, caller.tenant(),
                v.name() + "@" + v.version(), at, data);
        writes.record(() -> outbox.append(pool, Topics.USAGE_V1, event).await().atMost(DB_TIMEOUT));
    }
}
