package io.defensebuilders.billing.pricing;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How one tier priced its part of a quantity, exact (not rounded). */
@Schema(name = "TierLine", description = "One tier's part of a line item, exact. For PACKAGE the quantity is the"
        + " number of packages and the unit price the package price")
public record TierLine(@Schema(description = "Exclusive lower bound (units before this tier)") BigDecimal from,
        @Schema(description = "Inclusive upper bound; null when unbounded") BigDecimal to,
        BigDecimal quantity, BigDecimal unitPrice, BigDecimal flatFee, BigDecimal amount) {

    static TierLine of(BigDecimal from, BigDecimal upTo, BigDecimal quantity, Price.Tier t) {
        BigDecimal amount = t.unitPrice().multiply(quantity);
        if (t.flatFee() != null) {
            amount = amount.add(t.flatFee());
        }
        return new TierLine(from, upTo, quantity, t.unitPrice(), t.flatFee(), amount);
    }
}
