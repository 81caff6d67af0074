package io.defensebuilders.billing.pricing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A monthly billing period [start, end) of whole UTC days, starting on the subscription's anchor day (1 to 28). */
public record BillingPeriod(LocalDate start, LocalDate end) {

    public static final int MAX_ANCHOR_DAY = 28;

    /** The period that contains {@code day}. */
    public static BillingPeriod containing(LocalDate day, int anchorDay) {
        if (anchorDay < 1 || anchorDay > MAX_ANCHOR_DAY) {
            throw new IllegalArgumentException("anchor day must be 1 to " + MAX_ANCHOR_DAY);
        }
        LocalDate start = day.withDayOfMonth(anchorDay);
        if (start.isAfter(day)) {
            start = start.minusMonths(1);
        }
        return new BillingPeriod(start, start.plusMonths(1));
    }

    public long days() {
        return ChronoUnit.DAYS.between(start, end);
    }

    public Instant startInstant() {
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant endInstant() {
        return end.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public BillingPeriod next() {
        return new BillingPeriod(end, end.plusMonths(1));
    }
}
