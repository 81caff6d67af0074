package io.defensebuilders.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A tenant's subscription: billing anchor day and the phases (plan versions from a day on), oldest first. */
public record Subscription(UUID id, String tenant, int anchorDay, LocalDate startDate, LocalDate endedOn,
        Instant createdAt, String createdBy, List<Phase> phases) {

    /** A plan version in force from {@code startDate} (a UTC day) on. */
    public record Phase(int seq, Plan plan, LocalDate startDate, Instant createdAt, String createdBy) {
    }

    public Phase current() {
        return phases.getLast();
    }

    /** The plan in force at the end of the day before {@code end}: the last phase starting before it. */
    public Plan planBefore(LocalDate end) {
        Phase found = phases.getFirst();
        for (Phase p : phases) {
            if (p.startDate().isBefore(end)) {
                found = p;
            }
        }
        return found.plan();
    }
}
