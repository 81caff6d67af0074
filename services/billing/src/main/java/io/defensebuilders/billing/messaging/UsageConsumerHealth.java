package io.defensebuilders.billing.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the usage consumer's thread runs (or ingest is switched off on this replica). */
@Liveness
@ApplicationScoped
public class UsageConsumerHealth implements HealthCheck {

    private final UsageConsumer consumer;

    public UsageConsumerHealth(UsageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("usage-consumer");
        return consumer.main().map(loop -> {
            IngestLoop.Stats s = loop.stats();
            return builder.status(!loop.finished()).withData("consumed", s.consumed()).withData("failedBatches",
                    s.failedBatches()).build();
        }).orElseGet(() -> builder.up().withData("enabled", false).build());
    }
}
