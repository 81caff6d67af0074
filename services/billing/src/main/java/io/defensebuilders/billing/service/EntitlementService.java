package io.defensebuilders.billing.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.messaging.BillingEvents;
import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.billing.repository.MeterReads;
import io.defensebuilders.billing.repository.PlanReads;
import io.defensebuilders.billing.repository.SubscriptionRepository;
import io.defensebuilders.billing.repository.UsageRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What a tenant's plan allows: the limits of the plan in force today (free without a subscription), and for metered
 * features the usage of the current billing period from the minute buckets. One feature per question, answered from
 * the database each time: no cache to fall out of step with a plan change.
 */
@ApplicationScoped
public class EntitlementService {

    /** The plan a tenant without a subscription is on. */
    public static final String DEFAULT_PLAN = "free";

    /** A feature: the plan limit that bounds it and, when metered, the meter counted against it. */
    public enum Feature {
        ENVIRONMENTS_CONCURRENT("environments.concurrent", "environments", null),
        INFERENCE_CALLS("inference.calls", "inferenceCallsPerMonth", "inference.call"),
        API_CALLS("api.calls", "api.call", "api.call"),
        API_RATE_TIER("api.rate-tier", null, null);

        final String key;
        final String limitKey;
        final String meter;

        Feature(String key, String limitKey, String meter) {
            this.key = key;
            this.limitKey = limitKey;
            this.meter = meter;
        }

        static Feature of(String key) {
            for (Feature f : values()) {
                if (f.key.equals(key)) {
                    return f;
                }
            }
            throw ProblemException.invalid("feature", "unknown feature '" + key + "'; one of "
                    + List.of(values()).stream().map(f -> f.key).toList());
        }
    }

    /** The answer; {@code limit} is null when the plan sets none. */
    public record Decision(boolean allowed, Long limit, long used, long remaining, String plan, String rateTier,
            String reason, boolean subscribed) {
    }

    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final PlanReads plans;
    private final MeterReads meters;
    private final UsageRepository usage;
    private final SubscriptionService clock;
    private final BillingEvents events;

    public EntitlementService(Pool pool, SubscriptionRepository subscriptions, PlanReads plans,
            MeterReads meters, UsageRepository usage, SubscriptionService clock, BillingEvents events) {
        this.events = events;
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.meters = meters;
        this.usage = usage;
        this.clock = clock;
    }

    public Uni<Decision> check(Caller caller, String tenantAsked, String featureKey, long quantity) {
        String tenant = SubscriptionService.tenantOf(caller, tenantAsked);
        Feature feature = Feature.of(featureKey);
        if (quantity < 0) {
            throw ProblemException.invalid("quantity", "must not be negative");
        }
        BillingPeriod[] period = new BillingPeriod[1];
        boolean[] subscribed = new boolean[1];
        return subscriptions.active(pool, tenant).chain(found -> {
            subscribed[0] = found.isPresent();
            if (found.isPresent()) {
                period[0] = BillingPeriod.containing(clock.today(), found.get().anchorDay());
                return Uni.createFrom().item(found.get().current().plan());
            }
            period[0] = BillingPeriod.containing(clock.today(), 1);
            return plans.latest(pool, DEFAULT_PLAN).map(p -> p.orElseThrow(
                    () -> new IllegalStateException("the default plan '" + DEFAULT_PLAN + "' is missing")));
        }).chain(plan -> used(feature, tenant, period[0])
                .map(used -> decide(feature, plan, used, quantity, subscribed[0]))
                .call(d -> feature.meter == null || d.limit() == null ? Uni.createFrom().voidItem()
                        // what will have been used if the call goes ahead; a refused ask uses nothing
                        : events.limitUsed(tenant, feature.key, d.plan(), d.limit(),
                                d.allowed() ? d.used() + quantity : d.used(), period[0])));
    }

    private Uni<Long> used(Feature feature, String tenant, BillingPeriod period) {
        if (feature.meter == null) {
            return Uni.createFrom().item(0L);
        }
        Instant now = Instant.now();
        return meters.live(pool, feature.meter).chain(meter -> meter.isEmpty() ? Uni.createFrom().item(0L)
                : usage.aggregate(pool, meter.get(), tenant, period.startInstant(),
                        now.isBefore(period.endInstant()) ? now.plusSeconds(60) : period.endInstant(), null, List.of())
                        .map(rows -> rows.isEmpty() || rows.get(0).value() == null ? 0L
                                : rows.get(0).value().setScale(0, java.math.RoundingMode.CEILING).longValueExact()));
    }

    static Decision decide(Feature feature, Plan plan, long used, long quantity, boolean subscribed) {
        Map<String, Object> limits = plan.limits();
        String tier = limits.get("apiRateTier") == null ? null : String.valueOf(limits.get("apiRateTier"));
        if (feature.limitKey == null) {
            return new Decision(true, null, 0, 0, plan.key(), tier, null, subscribed);
        }
        Object raw = limits.get(feature.limitKey);
        if (raw == null) {
            return new Decision(true, null, used, 0, plan.key(), tier, null, subscribed);
        }
        long limit = new BigDecimal(String.valueOf(raw)).longValueExact();
        long wanted = feature.meter == null ? quantity : used + quantity;
        if (wanted > limit) {
            String why = feature.meter == null
                    ? "plan '" + plan.key() + "' allows " + limit + " " + feature.key + "; " + wanted + " asked"
                    : "plan '" + plan.key() + "' allows " + limit + " " + feature.key + " per billing period; " + used
                            + " used, " + quantity + " more asked";
            return new Decision(false, limit, used, 0, plan.key(), tier, why, subscribed);
        }
        return new Decision(true, limit, used, limit - wanted, plan.key(), tier, null, subscribed);
    }
}
