package io.defensebuilders.environments.operator;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the operator: up without a cluster (the service is useful for nothing but a clear 503 then, and must
 * not hold up the platform's startup), and with one once the Environment informer has synced.
 */
@Readiness
@ApplicationScoped
public class OperatorHealth implements HealthCheck {

    private final ClusterAccess cluster;
    private final EnvironmentController controller;

    public OperatorHealth(ClusterAccess cluster, EnvironmentController controller) {
        this.cluster = cluster;
        this.controller = controller;
    }

    @Override
    public HealthCheckResponse call() {
        if (!cluster.configured()) {
            return HealthCheckResponse.named("environment-operator").up().withData("cluster", "not configured")
                    .withData("reason", cluster.reason()).build();
        }
        return HealthCheckResponse.named("environment-operator").status(controller.synced())
                .withData("cluster", "configured").withData("synced", controller.synced()).build();
    }
}
