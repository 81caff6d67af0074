package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import io.defensebuilders.billing.pricing.Charge;
import io.defensebuilders.billing.pricing.Price;

/** One immutable version of a plan: its prices (charges) and limits. A custom plan has no list price. */
public record Plan(long id, String key, int version, String name, String description, Currency currency,
        boolean custom, List<Charge> charges, Map<String, Object> limits, Instant createdAt) {

    /** The sum of the flat recurring fees per period; null for a custom plan (priced by contract). */
    public BigDecimal flatFee() {
        if (custom) {
            return null;
        }
        return charges.stream().filter(Charge::recurring).map(c -> ((Price.Flat) c.price()).amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public List<Charge> usageCharges() {
        return charges.stream().filter(c -> !c.recurring()).toList();
    }
}
