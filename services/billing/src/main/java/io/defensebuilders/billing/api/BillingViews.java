package io.defensebuilders.billing.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.Subscription;
import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.billing.pricing.Charge;
import io.defensebuilders.billing.pricing.LineItem;
import io.defensebuilders.billing.service.InvoicePreviews;

/** Response bodies of plans, subscriptions and invoices. */
public final class BillingViews {

    private BillingViews() {
    }

    @Schema(name = "Plan")
    public record PlanView(String key, int version, String name, String description, String currency, boolean custom,
            List<Charge> charges, Map<String, Object> limits, Instant createdAt) {

        public static PlanView of(Plan p) {
            return new PlanView(p.key(), p.version(), p.name(), p.description(), p.currency().getCurrencyCode(),
                    p.custom(), p.charges(), p.limits(), p.createdAt());
        }
    }

    @Schema(name = "FeeRule", description = "A plan-independent fee: rate x the period total of the basis meter")
    public record FeeRuleView(String key, String description, String basisMeter, BigDecimal rate, String currency) {
    }

    @Schema(name = "SubscriptionPhase")
    public record PhaseView(String plan, int planVersion, LocalDate startDate, Instant createdAt, String createdBy) {
    }

    @Schema(name = "Subscription")
    public record SubscriptionView(UUID id, String tenant, String plan, int planVersion, int anchorDay,
            LocalDate startDate, LocalDate endedOn,
            @Schema(description = "[start, end) of the period containing today") InvoicePreviews.Period currentPeriod,
            @Schema(description = "Plan history, oldest first") List<PhaseView> phases, Instant createdAt) {

        public static SubscriptionView of(Subscription s, LocalDate today) {
            BillingPeriod p = BillingPeriod.containing(today.isBefore(s.startDate()) ? s.startDate() : today, s.anchorDay());
            return new SubscriptionView(s.id(), s.tenant(), s.current().plan().key(), s.current().plan().version(),
                    s.anchorDay(), s.startDate(), s.endedOn(), new InvoicePreviews.Period(p.start(), p.end()),
                    s.phases().stream().map(ph -> new PhaseView(ph.plan().key(), ph.plan().version(), ph.startDate(),
                            ph.createdAt(), ph.createdBy())).toList(),
                    s.createdAt());
        }
    }

    @Schema(name = "Invoice", description = "A DRAFT (recomputed until its grace ends) or an ISSUED, immutable invoice")
    public record InvoiceView(UUID id, String tenant, UUID subscription, InvoicePreviews.Period period, String currency,
            io.defensebuilders.billing.Invoice.Status status,
            @Schema(description = "Gapless, set at issue (INV-00000042)") String number, List<LineItem> lines,
            BigDecimal total, @Schema(description = "Sum of the credit notes against it") BigDecimal credited,
            @Schema(description = "Until when late events still land on the draft") Instant graceUntil, Instant issuedAt,
            Instant createdAt) {

        public static InvoiceView of(io.defensebuilders.billing.Invoice i) {
            return new InvoiceView(i.id(), i.tenant(), i.subscriptionId(),
                    new InvoicePreviews.Period(i.periodStart(), i.periodEnd()),
                    i.currency(), i.status(), i.number(), i.lines(), i.total(), i.credited(), i.graceUntil(),
                    i.issuedAt(), i.createdAt());
        }
    }

    @Schema(name = "CreditNote")
    public record CreditNoteView(UUID id, String tenant, UUID invoice,
            @Schema(description = "Gapless (CN-00000007)") String number,
            BigDecimal amount, String reason, Instant createdAt, String createdBy) {

        public static CreditNoteView of(io.defensebuilders.billing.CreditNote c) {
            return new CreditNoteView(c.id(), c.tenant(), c.invoiceId(), c.number(), c.amount(), c.reason(),
                    c.createdAt(), c.createdBy());
        }
    }
}
