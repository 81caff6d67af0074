package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A credit against an issued invoice: the only way to void or correct one. Immutable, numbered without gaps. */
public record CreditNote(UUID id, String tenant, UUID invoiceId, String number, BigDecimal amount, String reason,
        Instant createdAt, String createdBy) {
}
