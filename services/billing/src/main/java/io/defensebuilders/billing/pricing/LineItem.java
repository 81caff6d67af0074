package io.defensebuilders.billing.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One line of an invoice: what it is for, the quantities and tiers behind it, and its amount in minor-unit scale. */
@Schema(name = "LineItem")
@RegisterForReflection // stored as JSON by hand (PlanReads, InvoiceRepository)
public record LineItem(
        @Schema(description = "RECURRING, PRORATION_CREDIT, PRORATION_CHARGE, USAGE, FEE or ADJUSTMENT") Type type,
        String description,
        @Schema(description = "Plan key the line was priced with; null for plan-independent fees") String plan,
        @Schema(description = "Meter key of usage and fee lines") String meter,
        @Schema(description = "Service days [from, to) the line covers") LocalDate from, LocalDate to,
        @Schema(description = "Metered quantity of the period (usage, fee basis); for recurring lines the fraction of the period") BigDecimal quantity,
        @Schema(description = "Part of the quantity covered by the included quantity") BigDecimal included,
        @Schema(description = "Tier breakdown, exact") List<TierLine> tiers,
        @Schema(description = "Rounded HALF_EVEN to the currency's minor unit; negative for credits") BigDecimal amount) {

    public enum Type {
        /** The flat fee of the plan in force at the start of the period, for the whole period. */
        RECURRING,
        /** The unused part of the old plan's flat fee after a change (negative). */
        PRORATION_CREDIT,
        /** The new plan's flat fee for the rest of the period after a change or a start inside the period. */
        PRORATION_CHARGE,
        /** A usage price on a meter's total for the period. */
        USAGE,
        /** A plan-independent fee rule (the marketplace fee). */
        FEE,
        /** Late usage of an issued period (arrived after its invoice), priced as the difference it makes there. */
        ADJUSTMENT
    }
}
