package io.defensebuilders.billing;

/** How a meter folds the events it matches into one number per period. */
public enum Aggregation {
    /** Number of events. */
    COUNT,
    /** Sum of the value property. */
    SUM,
    /** Largest value. */
    MAX,
    /** Number of distinct values over the whole period (not the sum of per-minute counts). */
    UNIQUE_COUNT,
    /** The value of the event with the latest occurredAt; ties go to the greatest (source, id). */
    LATEST;

    /** Whether the meter's value property must be a decimal number. */
    public boolean numeric() {
        return this == SUM || this == MAX || this == LATEST;
    }
}
