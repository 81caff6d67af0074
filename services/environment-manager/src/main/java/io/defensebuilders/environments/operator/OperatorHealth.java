package io.defensebuilders.environments.operator;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the operator: up without a cluster (the service is useful for nothing but a clear 503 then, and must
 * not hold up the platform's startup); with one, up once the operator's informers have synced, or at once on a
 * replica that waits for the leader's Lease (its REST API serves meanwhile). The SDK's own check, which is down
 * whenever the operator is not started, is off (application.properties).
 */
@Readiness
@ApplicationScoped
public class OperatorHealth implements HealthCheck {

    private final ClusterAccess cluster;
    private final OperatorLifecycle operator;

    public OperatorHealth(ClusterAccess cluster, OperatorLifecycle operator) {
        this.cluster = cluster;
        this.operator = operator;
    }

    @Override
    public HealthCheckResponse call() {
        if (!cluster.configured()) {
            return HealthCheckResponse.named("environment-operator").up().withData("cluster", "not configured")
                    .withData("reason", cluster.reason()).build();
        }
        boolean leading = operator.leading();
        boolean synced = operator.synced();
        return HealthCheckResponse.named("environment-operator").status(synced || !leading)
                .withData("cluster", "configured").withData("leading", leading).withData("synced", synced).build();
    }
}
