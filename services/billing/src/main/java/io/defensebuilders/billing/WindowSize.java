package io.defensebuilders.billing;

import java.time.Duration;

/** The windows a usage query answers per; every aggregate is stored per UTC minute and rolled up from there. */
public enum WindowSize {
    MINUTE(Duration.ofMinutes(1), "minute"),
    HOUR(Duration.ofHours(1), "hour"),
    DAY(Duration.ofDays(1), "day");

    private final Duration length;
    private final String sqlField;

    WindowSize(Duration length, String sqlField) {
        this.length = length;
        this.sqlField = sqlField;
    }

    public Duration length() {
        return length;
    }

    /** The field name for PostgreSQL's {@code date_trunc}. */
    public String sqlField() {
        return sqlField;
    }
}
