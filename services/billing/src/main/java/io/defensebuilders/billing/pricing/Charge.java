package io.defensebuilders.billing.pricing;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One price of a plan: a flat recurring fee (no meter), or a usage price on a meter's period total with an included
 * quantity that is free before the model's tiers start counting.
 */
@Schema(name = "Charge")
@RegisterForReflection // stored as JSON by hand (PlanReads, InvoiceRepository)
public record Charge(
        @Schema(description = "Meter key; absent for a FLAT recurring fee", example = "api.call") String meter,
        @Schema(description = "Units free each period before the price applies; tiers count the units after them", example = "100000") BigDecimal included,
        Price price) {

    public boolean recurring() {
        return price instanceof Price.Flat;
    }

    public BigDecimal includedOrZero() {
        return included == null ? BigDecimal.ZERO : included;
    }

    /** Refuses a charge that cannot price. */
    public void validate() {
        if (price == null) {
            throw new IllegalArgumentException("price is required");
        }
        price.validate();
        if (recurring()) {
            if (meter != null || (included != null && included.signum() != 0)) {
                throw new IllegalArgumentException("a FLAT recurring fee names no meter and includes nothing");
            }
        } else {
            if (meter == null || meter.isBlank()) {
                throw new IllegalArgumentException("a usage price needs a meter");
            }
            if (included != null && included.signum() < 0) {
                throw new IllegalArgumentException("included must be at least 0");
            }
        }
    }
}
