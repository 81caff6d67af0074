package io.defensebuilders.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code billing.v1}: what a tenant's billing did that the tenant wants to hear about. The CloudEvent type
 * says which: {@link #INVOICE_ISSUED} (the invoice fields) or {@link #LIMIT_NEAR} (the limit fields); the subject is
 * the invoice number or the feature.
 *
 * @param tenant the tenant billed
 * @param invoiceId the issued invoice
 * @param number its number (INV-...)
 * @param periodStart first day of the billed period (or the period the limit counts in)
 * @param periodEnd day after its last
 * @param currency ISO 4217
 * @param total the invoice's total
 * @param feature the limited feature (inference.calls, api.calls)
 * @param plan the plan whose limit it is
 * @param limit the plan's limit for the period
 * @param used what the tenant has used of it in the period
 * @param percent the threshold crossed: 80 (near) or 100 (reached)
 * @param occurredAt when
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingV1(String tenant, String invoiceId, String number, LocalDate periodStart, LocalDate periodEnd,
        String currency, BigDecimal total, String feature, String plan, Long limit, Long used, Integer percent,
        Instant occurredAt) {

    public static final String INVOICE_ISSUED = "io.defensebuilders.billing.v1.invoice.issued";
    public static final String LIMIT_NEAR = "io.defensebuilders.billing.v1.limit.near";

    public BillingV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
