package io.defensebuilders.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A price model: what a billable quantity costs, as exact tier lines (nothing rounded here; {@link PricingEngine}
 * rounds once per line item). Usage models price the quantity left after the charge's included quantity. Zero
 * billable quantity costs nothing in every model (no tier flat fee is due when no unit falls into the tier).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "model")
@JsonSubTypes({ @JsonSubTypes.Type(value = Price.Flat.class, name = "FLAT"),
        @JsonSubTypes.Type(value = Price.PerUnit.class, name = "PER_UNIT"),
        @JsonSubTypes.Type(value = Price.Graduated.class, name = "GRADUATED"),
        @JsonSubTypes.Type(value = Price.Volume.class, name = "VOLUME"),
        @JsonSubTypes.Type(value = Price.Package.class, name = "PACKAGE") })
@Schema(name = "Price", description = "A price model, discriminated by `model`: FLAT (recurring fee per billing period,"
        + " prorated by days), PER_UNIT, GRADUATED, VOLUME or PACKAGE (usage). Amounts are exact decimals in the plan's"
        + " currency; unit prices may have more decimals than the currency (0.0005 USD per call).", oneOf = { Price.Flat.class,
                Price.PerUnit.class, Price.Graduated.class, Price.Volume.class, Price.Package.class })
public sealed interface Price {

    /** Refuses a model that cannot price: IllegalArgumentException with a message for the client. */
    void validate();

    /** The exact tier lines of {@code billable} (at least 0); empty when it costs nothing. */
    List<TierLine> rate(BigDecimal billable);

    /** A recurring fee per billing period; not usage-based (its charge names no meter). */
    @Schema(name = "FlatPrice")
    record Flat(@Schema(description = "Per billing period", example = "99.00") BigDecimal amount) implements Price {
        @Override
        public void validate() {
            nonNegative("amount", amount);
        }

        @Override
        public List<TierLine> rate(BigDecimal quantity) {
            return List.of(new TierLine(null, null, quantity, amount, null, amount.multiply(quantity)));
        }
    }

    /** Every unit at one price. */
    @Schema(name = "PerUnitPrice")
    record PerUnit(@Schema(example = "0.0005") BigDecimal unitPrice) implements Price {
        @Override
        public void validate() {
            nonNegative("unitPrice", unitPrice);
        }

        @Override
        public List<TierLine> rate(BigDecimal billable) {
            if (billable.signum() == 0) {
                return List.of();
            }
            return List.of(new TierLine(BigDecimal.ZERO, null, billable, unitPrice, null, unitPrice.multiply(billable)));
        }
    }

    /**
     * Each tier prices the units that fall into it (tier 1 the first units, tier 2 the next ones...), like income tax.
     * A tier's flat fee is due once any unit falls into it.
     */
    @Schema(name = "GraduatedPrice")
    record Graduated(List<Tier> tiers) implements Price {
        @Override
        public void validate() {
            Tier.validate(tiers);
        }

        @Override
        public List<TierLine> rate(BigDecimal billable) {
            List<TierLine> lines = new ArrayList<>();
            BigDecimal from = BigDecimal.ZERO;
            for (Tier t : tiers) {
                if (billable.compareTo(from) <= 0) {
                    break;
                }
                BigDecimal to = t.upTo() == null ? billable : t.upTo().min(billable);
                BigDecimal qty = to.subtract(from);
                lines.add(TierLine.of(from, t.upTo(), qty, t));
                if (t.upTo() == null) {
                    break;
                }
                from = t.upTo();
            }
            return lines;
        }
    }

    /** The whole quantity at the price of the one tier it falls into (the more you use, the cheaper every unit). */
    @Schema(name = "VolumePrice")
    record Volume(List<Tier> tiers) implements Price {
        @Override
        public void validate() {
            Tier.validate(tiers);
        }

        @Override
        public List<TierLine> rate(BigDecimal billable) {
            if (billable.signum() == 0) {
                return List.of();
            }
            BigDecimal from = BigDecimal.ZERO;
            for (Tier t : tiers) {
                if (t.upTo() == null || billable.compareTo(t.upTo()) <= 0) {
                    return List.of(TierLine.of(from, t.upTo(), billable, t));
                }
                from = t.upTo();
            }
            throw new IllegalStateException("the last tier is unbounded");
        }
    }

    /** Units sold in packages: every started package is paid in full (ceiling). */
    @Schema(name = "PackagePrice")
    record Package(@Schema(example = "1000") BigDecimal packageSize, @Schema(example = "0.50") BigDecimal packagePrice)
            implements
                Price {
        @Override
        public void validate() {
            nonNegative("packageSize", packageSize);
            if (packageSize.signum() == 0) {
                throw new IllegalArgumentException("packageSize must be positive");
            }
            nonNegative("packagePrice", packagePrice);
        }

        /** One line whose quantity is the number of packages and unit price the package price. */
        @Override
        public List<TierLine> rate(BigDecimal billable) {
            if (billable.signum() == 0) {
                return List.of();
            }
            BigDecimal packages = billable.divide(packageSize, 0, RoundingMode.CEILING);
            return List.of(new TierLine(BigDecimal.ZERO, null, packages, packagePrice, null,
                    packagePrice.multiply(packages)));
        }
    }

    /**
     * One tier: up to (inclusive) {@code upTo} units, null for the last, unbounded tier; a unit price and an optional
     * flat fee.
     */
    @Schema(name = "Tier")
    record Tier(@Schema(description = "Upper bound, inclusive; null on the last tier") BigDecimal upTo,
            BigDecimal unitPrice,
            @Schema(description = "Once per period when the tier is reached; optional") BigDecimal flatFee) {

        static void validate(List<Tier> tiers) {
            if (tiers == null || tiers.isEmpty()) {
                throw new IllegalArgumentException("tiers: at least one tier is required");
            }
            BigDecimal previous = BigDecimal.ZERO;
            for (int i = 0; i < tiers.size(); i++) {
                Tier t = tiers.get(i);
                if (t == null) {
                    throw new IllegalArgumentException("tiers[" + i + "] is null");
                }
                nonNegative("tiers[" + i + "].unitPrice", t.unitPrice());
                if (t.flatFee() != null) {
                    nonNegative("tiers[" + i + "].flatFee", t.flatFee());
                }
                boolean last = i == tiers.size() - 1;
                if (last != (t.upTo() == null)) {
                    throw new IllegalArgumentException("tiers: only the last tier, and it always, has no upTo");
                }
                if (!last) {
                    if (t.upTo().compareTo(previous) <= 0) {
                        throw new IllegalArgumentException("tiers: upTo must increase and be positive");
                    }
                    previous = t.upTo();
                }
            }
        }
    }

    private static void nonNegative(String field, BigDecimal value) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException(field + " must be a number, at least 0");
        }
    }
}
