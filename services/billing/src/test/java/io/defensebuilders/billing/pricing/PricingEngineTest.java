package io.defensebuilders.billing.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The price models at their tier boundaries, included quantities, rounding and day-based proration. */
class PricingEngineTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency JPY = Currency.getInstance("JPY");
    private static final BillingPeriod NOV = new BillingPeriod(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-12-01"));

    /** 0..1000 at 0.10, 1001..5000 at 0.05 plus a 2.00 tier fee, above at 0.01. */
    private static final List<Price.Tier> TIERS = List.of(tier("1000", "0.10", null), tier("5000", "0.05", "2.00"),
            tier(null, "0.01", null));

    @Test
    void graduatedPricesEachTiersOwnUnitsExactlyAtTheBoundaries() {
        Price g = new Price.Graduated(TIERS);
        assertEquals(usd("0.00"), amount(g, "0", "0"));
        assertEquals(usd("0.10"), amount(g, "0", "1"));
        assertEquals(usd("100.00"), amount(g, "0", "1000")); // exactly at the edge: all in tier 1, no tier-2 fee
        assertEquals(usd("102.05"), amount(g, "0", "1001")); // one above: 1 unit at 0.05 + the tier fee
        assertEquals(usd("302.00"), amount(g, "0", "5000"));
        assertEquals(usd("302.01"), amount(g, "0", "5001"));
        LineItem line = line(g, "0", "5001");
        assertEquals(3, line.tiers().size());
        assertEquals(new BigDecimal("1000"), line.tiers().get(0).quantity());
        assertEquals(new BigDecimal("4000"), line.tiers().get(1).quantity());
        assertEquals(new BigDecimal("1000"), line.tiers().get(1).from());
        assertEquals(new BigDecimal("5000"), line.tiers().get(1).to());
        assertEquals(new BigDecimal("1"), line.tiers().get(2).quantity());
    }

    @Test
    void volumePricesTheWholeQuantityAtTheTierItReaches() {
        Price v = new Price.Volume(TIERS);
        assertEquals(usd("0.00"), amount(v, "0", "0"));
        assertEquals(usd("100.00"), amount(v, "0", "1000"));
        assertEquals(usd("52.05"), amount(v, "0", "1001")); // all 1001 at 0.05 + 2.00: cheaper than 1000
        assertEquals(usd("252.00"), amount(v, "0", "5000"));
        assertEquals(usd("50.01"), amount(v, "0", "5001"));
        assertEquals(1, line(v, "0", "5001").tiers().size());
        // the same quantity, two models, two answers
        assertTrue(amount(new Price.Graduated(TIERS), "0", "3000").compareTo(amount(v, "0", "3000")) > 0);
    }

    @Test
    void includedQuantityIsFreeAndTiersCountTheUnitsAfterIt() {
        Price unit = new Price.PerUnit(new BigDecimal("0.0005"));
        assertEquals(usd("0.00"), amount(unit, "100000", "99999"));
        assertEquals(usd("0.00"), amount(unit, "100000", "100000")); // included exhausted exactly
        LineItem exhausted = line(unit, "100000", "100000");
        assertEquals(new BigDecimal("100000"), exhausted.included());
        assertTrue(exhausted.tiers().isEmpty());
        assertEquals(usd("0.00"), amount(unit, "100000", "100001")); // 0.0005 rounds half-even to 0.00
        assertEquals(usd("0.02"), amount(unit, "100000", "100030")); // 30 x 0.0005 = 0.015 -> 0.02
    }

    @Test
    void packagesAreRoundedUp() {
        Price p = new Price.Package(new BigDecimal("1000"), new BigDecimal("0.50"));
        assertEquals(usd("0.00"), amount(p, "0", "0"));
        assertEquals(usd("0.50"), amount(p, "0", "1"));
        assertEquals(usd("0.50"), amount(p, "0", "1000"));
        assertEquals(usd("1.00"), amount(p, "0", "1001"));
        assertEquals(new BigDecimal("2"), line(p, "0", "1001").tiers().getFirst().quantity());
        assertEquals(usd("0.50"), amount(p, "500", "1500")); // included first: 1000 billable = 1 package
    }

    @Test
    void roundingIsHalfEvenOncePerLineToTheCurrencysMinorUnit() {
        Price unit = new Price.PerUnit(new BigDecimal("0.005"));
        assertEquals(usd("0.00"), amount(unit, "0", "1")); // 0.005 -> 0.00 (even)
        assertEquals(usd("0.02"), amount(unit, "0", "3")); // 0.015 -> 0.02 (even)
        assertEquals(usd("0.02"), amount(unit, "0", "5")); // 0.025 -> 0.02 (even)
        // per line, not per tier: 3 tiers of 0.005 each would round to 0.00 each, the line is 0.015 -> 0.02
        Price g = new Price.Graduated(List.of(tier("1", "0.005", null), tier("2", "0.005", null), tier(null, "0.005", null)));
        assertEquals(usd("0.02"), amount(g, "0", "3"));
        LineItem yen = PricingEngine.usage("p", new Charge("m", null, new Price.PerUnit(new BigDecimal("0.5"))),
                new BigDecimal("5"), NOV, JPY);
        assertEquals(new BigDecimal("2"), yen.amount()); // 2.5 JPY -> 2, no fraction digits
    }

    @Test
    void decimalQuantitiesPriceExactly() {
        Price g = new Price.Graduated(TIERS);
        assertEquals(usd("102.02"), amount(g, "0", "1000.5")); // 100 + 0.5 x 0.05 + 2.00 tier fee = 102.025
    }

    @Test
    void aFullPeriodOnOnePlanIsItsFlatFee() {
        List<LineItem> lines = PricingEngine.recurring(NOV, List.of(phase("pro", "2026-10-14", "99")), USD);
        assertEquals(1, lines.size());
        assertEquals(LineItem.Type.RECURRING, lines.getFirst().type());
        assertEquals(usd("99.00"), lines.getFirst().amount());
    }

    @Test
    void anUpgradeMidPeriodCreditsTheUnusedOldPlanAndChargesTheNewOneByDays() {
        // Pro from before November, Team from 16 November: 15 of 30 days remain
        List<LineItem> lines = PricingEngine.recurring(NOV,
                List.of(phase("pro", "2026-10-01", "99"), phase("team", "2026-11-16", "499")), USD);
        assertEquals(List.of(LineItem.Type.RECURRING, LineItem.Type.PRORATION_CREDIT, LineItem.Type.PRORATION_CHARGE),
                lines.stream().map(LineItem::type).toList());
        assertEquals(usd("99.00"), lines.get(0).amount());
        assertEquals(usd("-49.50"), lines.get(1).amount());
        assertEquals(usd("249.50"), lines.get(2).amount());
        assertEquals(usd("299.00"), total(lines)); // 15 days of Pro + 15 days of Team
        // a downgrade on the 21st (10 days left): 499 - 499 x 10/30 + 99 x 10/30
        List<LineItem> down = PricingEngine.recurring(NOV,
                List.of(phase("team", "2026-10-01", "499"), phase("pro", "2026-11-21", "99")), USD);
        assertEquals(usd("499.00").add(usd("-166.33")).add(usd("33.00")), total(down));
    }

    @Test
    void aStartInsideThePeriodPaysOnlyItsDays() {
        List<LineItem> lines = PricingEngine.recurring(NOV, List.of(phase("pro", "2026-11-11", "99")), USD);
        assertEquals(1, lines.size());
        assertEquals(LineItem.Type.PRORATION_CHARGE, lines.getFirst().type());
        assertEquals(usd("66.00"), lines.getFirst().amount()); // 20 of 30 days
        // a free plan and a start after the period make no line
        assertTrue(PricingEngine.recurring(NOV, List.of(phase("free", "2026-10-01", "0")), USD).isEmpty());
        assertTrue(PricingEngine.recurring(NOV, List.of(phase("pro", "2026-12-01", "99")), USD).isEmpty());
        // Free -> Pro on the 11th: no credit (nothing was paid), Pro for 20 days
        List<LineItem> up = PricingEngine.recurring(NOV,
                List.of(phase("free", "2026-10-01", "0"), phase("pro", "2026-11-11", "99")), USD);
        assertEquals(usd("66.00"), total(up));
    }

    @Test
    void billingPeriodsFollowTheAnchorDay() {
        assertEquals(new BillingPeriod(LocalDate.parse("2026-10-15"), LocalDate.parse("2026-11-15")),
                BillingPeriod.containing(LocalDate.parse("2026-11-14"), 15));
        assertEquals(new BillingPeriod(LocalDate.parse("2026-11-15"), LocalDate.parse("2026-12-15")),
                BillingPeriod.containing(LocalDate.parse("2026-11-15"), 15));
        assertEquals(28, BillingPeriod.containing(LocalDate.parse("2027-02-03"), 1).days());
        assertThrows(IllegalArgumentException.class, () -> BillingPeriod.containing(LocalDate.parse("2026-11-15"), 29));
    }

    @Test
    void refusesModelsThatCannotPrice() {
        List<Price> bad = List.of(new Price.Graduated(List.of()),
                new Price.Graduated(List.of(tier("10", "1", null))),
                new Price.Volume(List.of(tier("10", "1", null), tier("5", "1", null), tier(null, "1", null))),
                new Price.Volume(Arrays.asList(tier(null, "1", null), tier(null, "1", null))),
                new Price.PerUnit(new BigDecimal("-1")), new Price.PerUnit(null),
                new Price.Package(BigDecimal.ZERO, BigDecimal.ONE), new Price.Flat(new BigDecimal("-5")));
        for (Price p : bad) {
            assertThrows(IllegalArgumentException.class, p::validate, p.toString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new Charge(null, null, new Price.PerUnit(BigDecimal.ONE)).validate());
        assertThrows(IllegalArgumentException.class, () -> new Charge("m", null, new Price.Flat(BigDecimal.ONE)).validate());
    }

    private static Price.Tier tier(String upTo, String unit, String flat) {
        return new Price.Tier(upTo == null ? null : new BigDecimal(upTo), new BigDecimal(unit),
                flat == null ? null : new BigDecimal(flat));
    }

    private static PricingEngine.Phase phase(String plan, String start, String fee) {
        return new PricingEngine.Phase(plan, LocalDate.parse(start), new BigDecimal(fee));
    }

    private static LineItem line(Price price, String included, String quantity) {
        return PricingEngine.usage("p", new Charge("m", new BigDecimal(included), price), new BigDecimal(quantity), NOV, USD);
    }

    private static BigDecimal amount(Price price, String included, String quantity) {
        return line(price, included, quantity).amount();
    }

    private static BigDecimal total(List<LineItem> lines) {
        return lines.stream().map(LineItem::amount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    private static BigDecimal usd(String s) {
        return new BigDecimal(s).setScale(2);
    }
}
