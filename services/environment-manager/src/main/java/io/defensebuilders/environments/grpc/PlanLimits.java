package io.defensebuilders.environments.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.CheckResponse;
import io.defensebuilders.contracts.billing.v1.EntitlementsGrpc;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.platform.grpc.OnBehalf;
import io.defensebuilders.platform.problem.ProblemException;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;

/**
 * The tenant's plan limit on concurrent environments: billing's {@code Entitlements.Check} for
 * {@code environments.concurrent}, asked with the caller's own token before a REST create. When billing does not
 * answer, {@code dbp.environments.billing.fail-open} decides (counted in {@code dbp.environments.plan.unchecked}).
 */
@ApplicationScoped
public class PlanLimits {

    public static final String FEATURE = "environments.concurrent";
    private static final Logger LOG = Logger.getLogger(PlanLimits.class);

    private final EntitlementsGrpc.EntitlementsBlockingStub billing;
    private final EnvironmentsConfig.Billing config;
    private final MeterRegistry metrics;

    public PlanLimits(@GrpcClient("billing") EntitlementsGrpc.EntitlementsBlockingStub billing,
            EnvironmentsConfig config, MeterRegistry metrics) {
        this.billing = billing;
        this.config = config.billing();
        this.metrics = metrics;
    }

    /** Throws a 403 problem when {@code existing + 1} environments would exceed the caller's plan. */
    public void requireRoomForOneMore(String bearerToken, long existing) {
        if (!config.enabled()) {
            return;
        }
        CheckResponse answer;
        try {
            answer = OnBehalf.of(billing, bearerToken, config.timeout())
                    .check(CheckRequest.newBuilder().setFeature(FEATURE).setQuantity(existing + 1).build());
        } catch (StatusRuntimeException e) {
            metrics.counter("dbp.environments.plan.unchecked").increment();
            if (config.failOpen()) {
                LOG.warnf("billing did not answer the plan check (%s): creating without it", e.getStatus());
                return;
            }
            throw new ProblemException(503, "billing-unavailable", "Billing is unavailable",
                    "the plan's environment limit cannot be checked now: " + e.getStatus().getCode(), null);
        }
        if (!answer.getAllowed()) {
            throw new ProblemException(403, "plan-limit-reached", "The plan's limit is reached", "the " + answer.getPlan()
                    + " plan allows " + answer.getLimit() + " environments at once; this tenant has " + existing
                    + (answer.getReason().isEmpty() ? "" : " (" + answer.getReason() + ")"), null)
                    .with("limit", answer.getLimit()).with("existing", existing).with("plan", answer.getPlan());
        }
    }
}
