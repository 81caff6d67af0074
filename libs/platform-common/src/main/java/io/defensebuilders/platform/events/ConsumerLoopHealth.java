package io.defensebuilders.platform.events;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Liveness of a service's main {@link BatchConsumerLoop}: up while its thread runs (or when the replica does not
 * consume), with its record and failed-batch counts. The service's bean extends this with {@code @Liveness}.
 */
public abstract class ConsumerLoopHealth implements HealthCheck {

    private final String name;
    private final ConsumerLoopLifecycle<?> lifecycle;

    protected ConsumerLoopHealth(String name, ConsumerLoopLifecycle<?> lifecycle) {
        this.name = name;
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named(name);
        return lifecycle.main()
                .map(loop -> builder.status(!loop.finished()).withData("consumed", loop.consumed())
                        .withData("failedBatches", loop.failedBatches()).build())
                .orElseGet(() -> builder.up().withData("enabled", false).build());
    }
}
