package io.defensebuilders.platform.metrics;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Latency histograms for every service's HTTP server timer ({@code http.server.requests}), so that dashboards can
 * show p50/p99 per service across replicas ({@code histogram_quantile} over {@code _bucket} series). A fixed, short
 * list of bucket bounds ({@code dbp.metrics.http-latency-buckets}) rather than Micrometer's ~70 generated buckets
 * keeps the series count low.
 */
@Singleton
public class LatencyHistograms {

    @Produces
    @Singleton
    MeterFilter httpServerBuckets(
            @ConfigProperty(name = "dbp.metrics.http-latency-buckets", defaultValue = "PT0.001S,PT0.0025S,PT0.005S,PT0.01S,PT0.025S,PT0.05S,PT0.1S,PT0.25S,PT0.5S,PT1S,PT2.5S,PT5S,PT10S") List<Duration> buckets) {
        double[] nanos = buckets.stream().mapToDouble(Duration::toNanos).sorted().toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
