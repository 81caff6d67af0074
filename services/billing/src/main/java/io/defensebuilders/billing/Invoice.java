package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.defensebuilders.billing.pricing.LineItem;

/** An invoice of one subscription period: a DRAFT recomputed until its grace ends, then ISSUED and immutable. */
public record Invoice(UUID id, String tenant, UUID subscriptionId, LocalDate periodStart, LocalDate periodEnd,
        String currency, Status status, String number, List<LineItem> lines, BigDecimal total, Instant graceUntil,
        Instant createdAt, Instant issuedAt, BigDecimal credited) {

    public enum Status {
        DRAFT,
        ISSUED
    }
}
