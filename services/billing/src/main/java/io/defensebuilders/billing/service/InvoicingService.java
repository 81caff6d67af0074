package io.defensebuilders.billing.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.billing.CreditNote;
import io.defensebuilders.billing.Invoice;
import io.defensebuilders.billing.Subscription;
import io.defensebuilders.billing.config.BillingConfig;
import io.defensebuilders.billing.messaging.BillingEvents;
import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.billing.repository.InvoiceRepository;
import io.defensebuilders.billing.repository.SubscriptionRepository;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The invoice lifecycle. Each run: a DRAFT for every subscription's last closed period (open for the grace window,
 * recomputed on every run so late events still land on it), then every draft past its grace is ISSUED in one
 * transaction with its gapless number and the snapshot of the meter totals it billed. Issued invoices change only
 * through credit notes; late usage after issue is billed on the next invoice as an adjustment.
 */
@ApplicationScoped
public class InvoicingService {

    private static final Logger LOG = Logger.getLogger(InvoicingService.class);
    static final int MAX_DRAFTS_PER_RUN = 12;

    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final InvoiceRepository invoices;
    private final InvoiceService pricing;
    private final Duration grace;
    private final BillingEvents events;
    private final Counter issuedCounter;

    public InvoicingService(Pool pool, SubscriptionRepository subscriptions, InvoiceRepository invoices,
            InvoiceService pricing, BillingEvents events, BillingConfig config, MeterRegistry registry) {
        this.events = events;
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.pricing = pricing;
        this.grace = config.invoicing().grace();
        this.issuedCounter = Counter.builder("dbp.billing.invoices.issued").description("invoices issued (numbered)")
                .register(registry);
    }

    @Scheduled(identity = "billing-invoicing", every = "${dbp.billing.invoicing.every:5m}", delayed = "${dbp.billing.invoicing.first-run-after:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return run(Instant.now()).onFailure().invoke(e -> LOG.warnf("invoicing run failed, the next retries: %s", e))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One invoicing run as of {@code now}; answers how many invoices it issued. */
    @WithSpan
    public Uni<Integer> run(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return subscriptions.activeIds(pool)
                .chain(ids -> Multi.createFrom().iterable(ids).onItem()
                        .transformToUniAndConcatenate(id -> draft(id, today)).collect().asList())
                .chain(() -> invoices.draftIds(pool))
                .chain(ids -> Multi.createFrom().iterable(ids).onItem()
                        .transformToUniAndConcatenate(id -> pool.withTransaction(tx -> refreshOrIssue(tx, id, now)))
                        .collect().asList())
                .map(issued -> {
                    int count = (int) issued.stream().filter(Boolean::booleanValue).count();
                    issuedCounter.increment(count);
                    return count;
                });
    }

    /**
     * Drafts of every closed period not invoiced yet: from the subscription's first period (or the last invoiced one)
     * up to the current period, at most {@link #MAX_DRAFTS_PER_RUN} per run, so a backdated subscription or a job
     * that was down catches up without skipping a period.
     */
    private Uni<Void> draft(UUID id, LocalDate today) {
        return subscriptions.find(pool, id, false).chain(found -> {
            Subscription s = found.orElseThrow();
            BillingPeriod current = BillingPeriod.containing(today, s.anchorDay());
            return invoices.lastInvoicedEnd(pool, id).chain(lastEnd -> {
                BillingPeriod p = BillingPeriod.containing(lastEnd.orElse(s.startDate()), s.anchorDay());
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (int i = 0; i < MAX_DRAFTS_PER_RUN && p.end().compareTo(current.start()) <= 0; i++, p = p.next()) {
                    BillingPeriod closed = p;
                    chain = chain.chain(() -> invoices.insertDraft(pool, s.tenant(), s.id(), closed.start(), closed.end(),
                            s.planBefore(closed.end()).currency().getCurrencyCode(), closed.endInstant().plus(grace)));
                }
                return chain;
            });
        });
    }

    /** Recomputes a draft; issues it when its grace is over. True when issued. */
    private Uni<Boolean> refreshOrIssue(SqlClient tx, UUID id, Instant now) {
        return invoices.lockDraft(tx, id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            Invoice draft = found.get();
            return subscriptions.find(tx, draft.subscriptionId(), false).map(s -> s.orElseThrow())
                    .chain(s -> pricing.compute(tx, s, new BillingPeriod(draft.periodStart(), draft.periodEnd()))
                            .chain(computed -> now.isBefore(draft.graceUntil())
                                    ? invoices.updateDraft(tx, id, computed.lines(), computed.total()).replaceWith(false)
                                    : issue(tx, s, draft, computed, now).replaceWith(true)));
        });
    }

    private Uni<Void> issue(SqlClient tx, Subscription s, Invoice draft, InvoiceService.Computed computed, Instant now) {
        return invoices.nextNumber(tx, "INV").chain(seq -> invoices.issue(tx, draft.id(), number("INV", seq), seq,
                computed.lines(), computed.total(), now)
                .chain(() -> events.invoiceIssued(tx, draft, number("INV", seq), computed.total(), now)))
                .chain(() -> snapshot(tx, s.id(), draft.periodStart(), computed.periodTotals()))
                .chain(() -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Map.Entry<LocalDate, Map<String, BigDecimal>> e : computed.adjustedTotals().entrySet()) {
                        chain = chain.chain(() -> snapshot(tx, s.id(), e.getKey(), e.getValue()));
                    }
                    return chain;
                });
    }

    private Uni<Void> snapshot(SqlClient tx, UUID subscription, LocalDate periodStart, Map<String, BigDecimal> totals) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, BigDecimal> e : totals.entrySet()) {
            chain = chain.chain(() -> invoices.recordInvoicedUsage(tx, subscription, periodStart, e.getKey(), e.getValue()));
        }
        return chain;
    }

    public Uni<List<Invoice>> list(Caller caller, String tenant) {
        return invoices.list(pool, SubscriptionService.tenantOf(caller, tenant));
    }

    public Uni<Invoice> get(Caller caller, UUID id) {
        return invoices.find(pool, id, false).map(found -> found
                .filter(i -> i.tenant().equals(caller.tenant()) || caller.has(Role.PLATFORM_ADMIN))
                .orElseThrow(() -> ProblemException.notFound("no invoice " + id)));
    }

    /** Credits part or all of an issued invoice; the credits of an invoice never exceed its total. */
    @WithSpan
    public Uni<CreditNote> credit(Caller caller, UUID invoiceId, BigDecimal amount, String reason) {
        return pool.withTransaction(tx -> invoices.find(tx, invoiceId, true).chain(found -> {
            Invoice i = found.filter(x -> x.tenant().equals(caller.tenant()) || caller.has(Role.PLATFORM_ADMIN))
                    .orElseThrow(() -> ProblemException.notFound("no invoice " + invoiceId));
            if (i.status() != Invoice.Status.ISSUED) {
                throw ProblemException.conflict("invoice " + invoiceId + " is a draft: it is recomputed until issued");
            }
            int scale = java.util.Currency.getInstance(i.currency()).getDefaultFractionDigits();
            if (amount.stripTrailingZeros().scale() > scale) {
                throw ProblemException.invalid("amount", "has more decimals than " + i.currency() + " (" + scale + ")");
            }
            BigDecimal left = i.total().subtract(i.credited());
            if (amount.compareTo(left) > 0) {
                throw ProblemException.conflict("the invoice has " + left + " " + i.currency() + " left to credit");
            }
            return invoices.nextNumber(tx, "CN").chain(seq -> invoices.insertCreditNote(tx, i.tenant(), i.id(),
                    number("CN", seq), seq, amount.setScale(scale), reason, caller.subject()));
        }));
    }

    public Uni<List<CreditNote>> creditNotes(Caller caller, String tenant) {
        return invoices.creditNotes(pool, SubscriptionService.tenantOf(caller, tenant));
    }

    static String number(String series, long seq) {
        return String.format("%s-%08d", series, seq);
    }
}
