package io.defensebuilders.billing.service;

import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.pricing.Charge;
import io.defensebuilders.billing.repository.MeterRepository;
import io.defensebuilders.billing.repository.PlanReads;
import io.defensebuilders.billing.repository.PlanRepository;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The plan catalog. Plans are versioned: an update inserts the next version and never touches the one subscriptions
 * already point at, so a price change applies to new subscriptions and plan changes only.
 */
@ApplicationScoped
public class PlanService {

    private final Pool pool;
    private final PlanRepository plans;
    private final PlanReads reads;
    private final MeterRepository meters;

    public PlanService(Pool pool, PlanRepository plans, PlanReads reads, MeterRepository meters) {
        this.pool = pool;
        this.plans = plans;
        this.reads = reads;
        this.meters = meters;
    }

    public Uni<List<Plan>> list() {
        return Panache.withSession(plans::listLatest);
    }

    public Uni<Plan> get(String key) {
        return Panache.withSession(() -> plans.latest(key)).map(p -> p.orElseThrow(() -> notFound(key)));
    }

    public Uni<List<PlanReads.FeeRule>> feeRules() {
        return reads.feeRules(pool);
    }

    @WithSpan
    public Uni<Plan> create(BillingCommands.NewPlan p, String by) {
        List<Charge> charges = check(p.currency(), p.custom(), p.charges());
        return checkMeters(charges).chain(() -> Panache.withTransaction(() -> plans.insertVersion(p.key(), 1, p.name(),
                p.description(), p.currency(), p.custom(), charges, limits(p.limits()), by)))
                .onFailure(Sql::isUniqueViolation)
                .transform(e -> ProblemException.conflict("a plan with key '" + p.key() + "' exists; PUT a new version"));
    }

    @WithSpan
    public Uni<Plan> newVersion(String key, BillingCommands.PlanVersion p, String by) {
        List<Charge> charges = check(p.currency(), p.custom(), p.charges());
        return checkMeters(charges).chain(() -> Panache.withTransaction(() -> plans.latest(key).chain(found -> {
            Plan current = found.orElseThrow(() -> notFound(key));
            return plans.insertVersion(key, current.version() + 1, p.name(), p.description(), p.currency(),
                    p.custom(), charges, limits(p.limits()), by);
        }))).onFailure(Sql::isUniqueViolation)
                .transform(e -> ProblemException.conflict("plan '" + key + "' changed concurrently; retry"));
    }

    private static List<Charge> check(String currency, boolean custom, List<Charge> given) {
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("currency", "is not an ISO 4217 currency");
        }
        List<Charge> charges = given == null ? List.of() : given;
        if (custom && !charges.isEmpty()) {
            throw ProblemException.invalid("charges", "a custom plan has no list price");
        }
        Set<String> meters = new HashSet<>();
        for (int i = 0; i < charges.size(); i++) {
            Charge c = charges.get(i);
            try {
                c.validate();
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("charges[" + i + "]", e.getMessage());
            }
            if (c.meter() != null && !meters.add(c.meter())) {
                throw ProblemException.invalid("charges[" + i + "]", "meter '" + c.meter() + "' is priced twice");
            }
        }
        return charges;
    }

    private Uni<Void> checkMeters(List<Charge> charges) {
        return Panache.withSession(() -> meters.live()).invoke(live -> {
            Set<String> keys = new HashSet<>(live.stream().map(Meter::key).toList());
            for (int i = 0; i < charges.size(); i++) {
                String meter = charges.get(i).meter();
                if (meter != null && !keys.contains(meter)) {
                    throw ProblemException.invalid("charges[" + i + "].meter", "no meter with key '" + meter + "'");
                }
            }
        }).replaceWithVoid();
    }

    private static Map<String, Object> limits(Map<String, Object> limits) {
        return limits == null ? Map.of() : limits;
    }

    static ProblemException notFound(String key) {
        return ProblemException.notFound("no plan with key '" + key + "'");
    }
}
