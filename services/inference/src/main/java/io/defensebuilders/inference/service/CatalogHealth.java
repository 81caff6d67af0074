package io.defensebuilders.inference.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a replica: up once it has brought itself in line with the model catalog at least once (the platform's
 * own models published, the versions to hold loaded), as the Open Inference Protocol's server-ready says. Until then
 * calls would find models missing or unloaded: a Service sends it none, as KServe's and Triton's model servers are
 * not ready before their models are.
 */
@Readiness
@ApplicationScoped
public class CatalogHealth implements HealthCheck {

    private final CatalogSync sync;

    public CatalogHealth(CatalogSync sync) {
        this.sync = sync;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("model-catalog").status(sync.synced()).build();
    }
}
