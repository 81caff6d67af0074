package io.defensebuilders.billing.pricing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;

/**
 * Prices usage and recurring fees: pure functions of exact decimals, no I/O. Rounding happens once per line item,
 * HALF_EVEN (banker's rounding) to the currency's minor unit: tier amounts stay exact, so a line equals its rounded
 * exact total and the invoice total is the sum of its rounded lines.
 */
public final class PricingEngine {

    private PricingEngine() {
    }

    /** A plan in force from a day on: its key and the sum of its flat recurring fees (null: no list price). */
    public record Phase(String plan, LocalDate start, BigDecimal flatFee) {
    }

    /** Rounds an exact amount to the currency's minor unit, HALF_EVEN. */
    public static BigDecimal round(BigDecimal amount, Currency currency) {
        return amount.setScale(currency.getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
    }

    /** A usage charge on a meter's period total: included units first, then the model's tiers on the rest. */
    public static LineItem usage(String plan, Charge charge, BigDecimal quantity, BillingPeriod period,
            Currency currency) {
        if (quantity.signum() < 0) {
            throw new IllegalArgumentException("quantity must be at least 0");
        }
        BigDecimal included = quantity.min(charge.includedOrZero());
        BigDecimal billable = quantity.subtract(included);
        List<TierLine> tiers = charge.price().rate(billable);
        BigDecimal exact = tiers.stream().map(TierLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new LineItem(LineItem.Type.USAGE, charge.meter() + " (" + plan + ")", plan, charge.meter(),
                period.start(), period.end(), quantity, included, tiers, round(exact, currency));
    }

    /**
     * The flat recurring fees of a period, day-based proration (as Lago and Stripe do): the plan in force at the
     * period's start is charged in full; each change on day D credits the old plan's fee for the days [D, end) and
     * charges the new plan's fee for the same days, each as {@code fee × days / days in period}. A subscription that
     * starts inside the period pays {@code fee × days / days in period} from its first day. Phases are in the order
     * they were recorded; several on one day each credit the one before. Zero and unpriced (custom) fees make no line.
     */
    public static List<LineItem> recurring(BillingPeriod period, List<Phase> phases, Currency currency) {
        List<Phase> inPeriod = phases.stream().filter(p -> p.start().isBefore(period.end()))
                .sorted(Comparator.comparing(Phase::start)).toList();
        List<LineItem> lines = new ArrayList<>();
        Phase current = null;
        for (Phase p : inPeriod) {
            if (!p.start().isAfter(period.start())) {
                current = p;
            }
        }
        if (current != null) {
            add(lines, LineItem.Type.RECURRING, current, period.start(), period, BigDecimal.ONE, currency);
        }
        for (Phase p : inPeriod) {
            if (!p.start().isAfter(period.start())) {
                continue;
            }
            if (current != null) {
                add(lines, LineItem.Type.PRORATION_CREDIT, current, p.start(), period, BigDecimal.ONE.negate(), currency);
            }
            add(lines, LineItem.Type.PRORATION_CHARGE, p, p.start(), period, BigDecimal.ONE, currency);
            current = p;
        }
        return lines;
    }

    /** A fee rule: {@code rate × basis}. */
    public static LineItem fee(String description, String meter, BigDecimal rate, BigDecimal basis, BillingPeriod period,
            Currency currency) {
        BigDecimal exact = basis.multiply(rate);
        return new LineItem(LineItem.Type.FEE, description, null, meter, period.start(), period.end(), basis, null,
                List.of(new TierLine(BigDecimal.ZERO, null, basis, rate, null, exact)), round(exact, currency));
    }

    private static void add(List<LineItem> lines, LineItem.Type type, Phase phase, LocalDate from, BillingPeriod period,
            BigDecimal sign, Currency currency) {
        if (phase.flatFee() == null || phase.flatFee().signum() == 0) {
            return;
        }
        long days = ChronoUnit.DAYS.between(from, period.end());
        BigDecimal fraction = BigDecimal.valueOf(days).divide(BigDecimal.valueOf(period.days()), MathContext.DECIMAL64);
        BigDecimal exact = phase.flatFee().multiply(BigDecimal.valueOf(days))
                .divide(BigDecimal.valueOf(period.days()), MathContext.DECIMAL128).multiply(sign);
        String what = switch (type) {
            case PRORATION_CREDIT -> "Unused " + phase.plan() + ", " + days + " of " + period.days() + " days";
            case PRORATION_CHARGE -> phase.plan() + ", " + days + " of " + period.days() + " days";
            default -> phase.plan() + ", monthly fee";
        };
        lines.add(new LineItem(type, what, phase.plan(), null, from, period.end(), fraction, null,
                List.of(new TierLine(null, null, fraction, phase.flatFee(), null, exact)), round(exact, currency)));
    }
}
