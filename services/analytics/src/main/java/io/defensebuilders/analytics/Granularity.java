package io.defensebuilders.analytics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The rollup buckets: UTC minutes, hours and days, each with its own table. */
public enum Granularity {
    MINUTE("rollup_minute", ChronoUnit.MINUTES),
    HOUR("rollup_hour", ChronoUnit.HOURS),
    DAY("rollup_day", ChronoUnit.DAYS);

    private final String table;
    private final ChronoUnit unit;

    Granularity(String table, ChronoUnit unit) {
        this.table = table;
        this.unit = unit;
    }

    public String table() {
        return table;
    }

    public ChronoUnit unit() {
        return unit;
    }

    /** The PostgreSQL date_trunc field. */
    public String field() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The start of the bucket {@code t} falls in. */
    public Instant bucket(Instant t) {
        return t.truncatedTo(unit);
    }

    /** Whether {@code t} is the start of a bucket. */
    public boolean aligned(Instant t) {
        return bucket(t).equals(t);
    }
}
