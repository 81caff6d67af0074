package io.defensebuilders.billing.service;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.Subscription;
import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.billing.repository.InvoiceRepository;
import io.defensebuilders.billing.repository.PlanReads;
import io.defensebuilders.billing.repository.SubscriptionRepository;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Subscriptions: one active per tenant, monthly periods from an anchor day, plan changes recorded as new phases (the
 * history is never rewritten). Tenant admins manage their own tenant's; platform admins any, and only they may put a
 * tenant on a custom (contract) plan. Another tenant's subscription answers 404, as if it did not exist.
 */
@ApplicationScoped
public class SubscriptionService {

    private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final PlanReads plans;
    private final InvoiceRepository invoices;
    private final Clock clock = Clock.systemUTC();

    public SubscriptionService(Pool pool, SubscriptionRepository subscriptions, PlanReads plans,
            InvoiceRepository invoices) {
        this.invoices = invoices;
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.plans = plans;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    @WithSpan
    public Uni<Subscription> create(Caller caller, BillingCommands.NewSubscription req) {
        String tenant = tenantOf(caller, req.tenant());
        LocalDate start = req.startDate() != null ? req.startDate() : today();
        checkDay("startDate", start);
        int anchor = req.anchorDay() != null ? req.anchorDay() : Math.min(start.getDayOfMonth(), BillingPeriod.MAX_ANCHOR_DAY);
        return pool.withTransaction(tx -> plan(tx, caller, req.plan())
                .chain(plan -> subscriptions.insert(tx, tenant, anchor, start, plan.id(), caller.subject()))
                .chain(id -> subscriptions.find(tx, id, false)).map(s -> s.orElseThrow()))
                .onFailure(Sql::isUniqueViolation)
                .transform(e -> ProblemException.conflict("tenant '" + tenant + "' has an active subscription;"
                        + " change its plan instead"));
    }

    public Uni<Subscription> get(Caller caller, UUID id) {
        return subscriptions.find(pool, id, false).map(s -> visible(caller, s, id));
    }

    public Uni<List<Subscription>> list(Caller caller, String tenant) {
        return subscriptions.list(pool, tenantOf(caller, tenant));
    }

    /** The tenant's active subscription; 404 when it has none. */
    public Uni<Subscription> active(String tenant) {
        return subscriptions.active(pool, tenant).map(s -> s.orElseThrow(
                () -> ProblemException.notFound("tenant '" + tenant + "' has no active subscription")));
    }

    /** Appends a phase: the plan's latest version from {@code effectiveDate} on (default today). */
    @WithSpan
    public Uni<Subscription> changePlan(Caller caller, UUID id, BillingCommands.PlanChange req) {
        LocalDate effective = req.effectiveDate() != null ? req.effectiveDate() : today();
        checkDay("effectiveDate", effective);
        return pool.withTransaction(tx -> subscriptions.find(tx, id, true).map(s -> visible(caller, s, id))
                .chain(s -> {
                    if (s.endedOn() != null) {
                        throw ProblemException.conflict("the subscription has ended");
                    }
                    Subscription.Phase current = s.current();
                    if (effective.isBefore(current.startDate())) {
                        throw ProblemException.invalid("effectiveDate", "must not be before the current phase's start ("
                                + current.startDate() + "): the plan history is never rewritten");
                    }
                    return invoices.lastIssuedEnd(tx, id).invoke(issuedEnd -> issuedEnd.ifPresent(end -> {
                        if (effective.isBefore(end)) {
                            throw ProblemException.conflict("the period up to " + end + " is invoiced; a plan change"
                                    + " takes effect on " + end + " or later");
                        }
                    })).chain(() -> plan(tx, caller, req.plan())).chain(plan -> {
                        if (!plan.currency().equals(current.plan().currency())) {
                            throw ProblemException.conflict("plan '" + plan.key() + "' is priced in " + plan.currency()
                                    + ", the subscription in " + current.plan().currency() + "; one invoice has one currency");
                        }
                        if (plan.id() == current.plan().id()) {
                            throw ProblemException.conflict("the subscription is on " + plan.key() + " version "
                                    + plan.version() + " already");
                        }
                        return subscriptions.insertPhase(tx, id, current.seq() + 1, plan.id(), effective, caller.subject());
                    }).chain(() -> subscriptions.find(tx, id, false)).map(found -> found.orElseThrow());
                }));
    }

    private Uni<Plan> plan(io.vertx.mutiny.sqlclient.SqlClient c, Caller caller, String key) {
        return plans.latest(c, key).map(found -> {
            Plan plan = found.orElseThrow(() -> ProblemException.invalid("plan", "no plan with key '" + key + "'"));
            if (plan.custom() && !caller.has(Role.PLATFORM_ADMIN)) {
                throw ProblemException.forbidden("plan '" + key + "' is priced by contract; a platform admin sets it up");
            }
            return plan;
        });
    }

    private static Subscription visible(Caller caller, java.util.Optional<Subscription> found, UUID id) {
        return found.filter(s -> s.tenant().equals(caller.tenant()) || caller.has(Role.PLATFORM_ADMIN))
                .orElseThrow(() -> ProblemException.notFound("no subscription " + id));
    }

    /** The caller's own tenant, or for platform admins the one they name; 403 for anyone else naming another. */
    public static String tenantOf(Caller caller, String requested) {
        if (requested == null || requested.isBlank() || requested.equals(caller.tenant())) {
            return caller.tenant();
        }
        if (!caller.has(Role.PLATFORM_ADMIN)) {
            throw ProblemException.forbidden("only platform admins may act on another tenant's billing");
        }
        return requested;
    }

    private void checkDay(String field, LocalDate day) {
        if (day.isBefore(EARLIEST) || day.isAfter(today().plusYears(1))) {
            throw ProblemException.invalid(field, "must lie between " + EARLIEST + " and a year from today");
        }
    }
}
