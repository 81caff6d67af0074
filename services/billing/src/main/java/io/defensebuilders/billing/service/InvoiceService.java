package io.defensebuilders.billing.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Invoice;
import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.Subscription;
import io.defensebuilders.billing.config.BillingConfig;
import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.billing.pricing.Charge;
import io.defensebuilders.billing.pricing.LineItem;
import io.defensebuilders.billing.pricing.PricingEngine;
import io.defensebuilders.billing.repository.InvoiceRepository;
import io.defensebuilders.billing.repository.MeterReads;
import io.defensebuilders.billing.repository.PlanReads;
import io.defensebuilders.billing.repository.UsageRepository;
import io.defensebuilders.platform.auth.Caller;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Prices a subscription's period from the metered minute buckets: the flat fees of its phases (prorated by days), the
 * usage prices of the plan in force at the period's end on each meter's total since the period (or subscription)
 * started, the plan-independent fee rules, and adjustments for late usage of earlier, issued periods.
 */
@ApplicationScoped
public class InvoiceService {

    private final Pool pool;
    private final SubscriptionService subscriptions;
    private final PlanReads plans;
    private final MeterReads meters;
    private final UsageRepository usage;
    private final InvoiceRepository invoices;
    private final int lookback;

    public InvoiceService(Pool pool, SubscriptionService subscriptions, PlanReads plans, MeterReads meters,
            UsageRepository usage, InvoiceRepository invoices, BillingConfig config) {
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.meters = meters;
        this.usage = usage;
        this.invoices = invoices;
        this.lookback = config.invoicing().lookbackPeriods();
    }

    /** A computed invoice: its lines, the period's meter totals, and the new totals of adjusted earlier periods. */
    public record Computed(List<LineItem> lines, BigDecimal total, Map<String, BigDecimal> periodTotals,
            Map<LocalDate, Map<String, BigDecimal>> adjustedTotals) {
    }

    /** The upcoming invoice of the tenant's current period, from the usage metered so far. */
    @WithSpan
    public Uni<InvoicePreviews.InvoicePreview> preview(Caller caller, String tenantParam) {
        String tenant = SubscriptionService.tenantOf(caller, tenantParam);
        return subscriptions.active(tenant).chain(s -> {
            LocalDate today = subscriptions.today();
            BillingPeriod period = BillingPeriod.containing(today.isBefore(s.startDate()) ? s.startDate() : today,
                    s.anchorDay());
            return compute(pool, s, period).map(c -> new InvoicePreviews.InvoicePreview(tenant, s.id(),
                    s.current().plan().currency().getCurrencyCode(), new InvoicePreviews.Period(period.start(), period.end()),
                    s.planBefore(period.end()).key(), c.lines(), c.total(), Instant.now()));
        });
    }

    /** Every line of {@code period}: recurring, usage per charge, fees, then adjustments of earlier periods. */
    public Uni<Computed> compute(SqlClient c, Subscription s, BillingPeriod period) {
        Plan plan = s.planBefore(period.end());
        List<LineItem> lines = new ArrayList<>(PricingEngine.recurring(period, s.phases().stream()
                .map(p -> new PricingEngine.Phase(p.plan().key(), p.startDate(), p.plan().flatFee())).toList(),
                plan.currency()));
        return metered(c, s, period).chain(metered -> {
            lines.addAll(metered.lines());
            return adjustments(c, s, period).map(adjusted -> {
                Map<LocalDate, Map<String, BigDecimal>> newTotals = new LinkedHashMap<>();
                for (Adjusted a : adjusted) {
                    lines.addAll(a.lines());
                    newTotals.put(a.period().start(), a.totals());
                }
                return new Computed(List.copyOf(lines), total(lines, plan.currency()), metered.totals(), newTotals);
            });
        });
    }

    /** Usage and fee lines of a period, with the meter totals they priced. */
    private record Metered(List<LineItem> lines, Map<String, BigDecimal> totals) {
    }

    private record Adjusted(BillingPeriod period, List<LineItem> lines, Map<String, BigDecimal> totals) {
    }

    private Uni<Metered> metered(SqlClient c, Subscription s, BillingPeriod period) {
        Plan plan = s.planBefore(period.end());
        Instant from = max(period.startInstant(), s.startDate().atStartOfDay(ZoneOffset.UTC).toInstant());
        Instant to = period.endInstant();
        return plans.feeRules(c).chain(rules -> {
            List<String> keys = new ArrayList<>(plan.usageCharges().stream().map(Charge::meter).toList());
            rules.stream().filter(r -> r.currency().equals(plan.currency().getCurrencyCode()))
                    .forEach(r -> keys.add(r.basisMeter()));
            List<Uni<BigDecimal>> totals = keys.stream().map(k -> total(c, s.tenant(), k, from, to)).toList();
            Uni<List<BigDecimal>> all = totals.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(totals).andFailFast();
            return all.map(values -> {
                Map<String, BigDecimal> byMeter = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    byMeter.put(keys.get(i), values.get(i));
                }
                List<LineItem> lines = new ArrayList<>();
                for (String meter : byMeter.keySet()) {
                    price(plan, rules, meter, byMeter.get(meter), period).ifPresent(lines::add);
                }
                return new Metered(lines, byMeter);
            });
        });
    }

    /** The line a meter total makes on a plan: its usage charge, else the fee rule on it (none for zero fees). */
    private static Optional<LineItem> price(Plan plan, List<PlanReads.FeeRule> rules, String meter,
            BigDecimal quantity, BillingPeriod period) {
        for (Charge charge : plan.usageCharges()) {
            if (charge.meter().equals(meter)) {
                return Optional.of(PricingEngine.usage(plan.key(), charge, quantity, period, plan.currency()));
            }
        }
        for (PlanReads.FeeRule r : rules) {
            if (r.basisMeter().equals(meter) && quantity.signum() != 0) {
                return Optional.of(PricingEngine.fee(r.description(), r.basisMeter(), r.rate(), quantity, period,
                        plan.currency()));
            }
        }
        return Optional.empty();
    }

    /**
     * Late usage of the last issued periods: each meter's total now against what its invoice billed (the snapshot);
     * a difference is re-priced on that period's plan, and the line is the difference of the two prices, so the
     * late units get exactly the tier price they would have had.
     */
    private Uni<List<Adjusted>> adjustments(SqlClient c, Subscription s, BillingPeriod period) {
        return invoices.issued(c, s.id(), period.start().minusMonths(lookback), period.start()).chain(issued -> {
            if (issued.isEmpty()) {
                return Uni.createFrom().item(List.<Adjusted> of());
            }
            return plans.feeRules(c).chain(rules -> {
                List<Uni<Adjusted>> all = new ArrayList<>();
                for (Invoice old : issued) {
                    all.add(adjust(c, s, new BillingPeriod(old.periodStart(), old.periodEnd()), old, rules));
                }
                return Uni.join().all(all).andFailFast();
            });
        });
    }

    private Uni<Adjusted> adjust(SqlClient c, Subscription s, BillingPeriod old, Invoice invoice,
            List<PlanReads.FeeRule> rules) {
        Plan plan = s.planBefore(old.end());
        Instant from = max(old.startInstant(), s.startDate().atStartOfDay(ZoneOffset.UTC).toInstant());
        return invoices.invoicedUsage(c, s.id(), old.start()).chain(billed -> {
            List<String> keys = List.copyOf(billed.keySet());
            List<Uni<BigDecimal>> totals = keys.stream().map(k -> total(c, s.tenant(), k, from, old.endInstant())).toList();
            Uni<List<BigDecimal>> all = totals.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(totals).andFailFast();
            return all.map(values -> {
                List<LineItem> lines = new ArrayList<>();
                Map<String, BigDecimal> changed = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    String meter = keys.get(i);
                    BigDecimal before = billed.get(meter);
                    BigDecimal now = values.get(i);
                    if (now.compareTo(before) == 0) {
                        continue;
                    }
                    changed.put(meter, now);
                    Optional<LineItem> was = price(plan, rules, meter, before, old);
                    Optional<LineItem> is = price(plan, rules, meter, now, old);
                    BigDecimal amount = is.map(LineItem::amount).orElse(BigDecimal.ZERO)
                            .subtract(was.map(LineItem::amount).orElse(BigDecimal.ZERO));
                    lines.add(new LineItem(LineItem.Type.ADJUSTMENT, "Late usage of " + meter + " for " + old.start()
                            + " to " + old.end() + " (invoice " + invoice.number() + "): " + before + " billed, " + now
                            + " metered", plan.key(), meter, old.start(), old.end(), now.subtract(before), null,
                            is.map(LineItem::tiers).orElse(List.of()), PricingEngine.round(amount, plan.currency())));
                }
                return new Adjusted(old, lines, changed);
            });
        });
    }

    /** A meter's total for the tenant over [from, to); zero when the meter does not exist or saw nothing. */
    private Uni<BigDecimal> total(SqlClient c, String tenant, String meterKey, Instant from, Instant to) {
        return meters.live(c, meterKey).chain(m -> m.isEmpty() ? Uni.createFrom().item(BigDecimal.ZERO)
                : usage.aggregate(c, m.get(), tenant, from, to, null, List.of())
                        .map(rows -> rows.isEmpty() || rows.getFirst().value() == null ? BigDecimal.ZERO
                                : rows.getFirst().value()));
    }

    static BigDecimal total(List<LineItem> lines, Currency currency) {
        return lines.stream().map(LineItem::amount).reduce(PricingEngine.round(BigDecimal.ZERO, currency), BigDecimal::add);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
