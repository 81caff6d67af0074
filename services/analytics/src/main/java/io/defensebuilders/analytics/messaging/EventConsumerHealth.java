package io.defensebuilders.analytics.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the event consumer's thread runs (or ingest is switched off on this replica). */
@Liveness
@ApplicationScoped
public class EventConsumerHealth implements HealthCheck {

    private final EventConsumer consumer;

    public EventConsumerHealth(EventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("event-consumer");
        return consumer.main().map(loop -> {
            IngestLoop.Stats s = loop.stats();
            return builder.status(!loop.finished()).withData("consumed", s.consumed())
                    .withData("failedBatches", s.failedBatches()).build();
        }).orElseGet(() -> builder.up().withData("enabled", false).build());
    }
}
