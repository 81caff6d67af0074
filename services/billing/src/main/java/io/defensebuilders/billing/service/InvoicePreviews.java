package io.defensebuilders.billing.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.pricing.LineItem;

/** An invoice as it would be issued now: what InvoiceService computes and the API returns as it is. */
public final class InvoicePreviews {

    private InvoicePreviews() {
    }

    @Schema(name = "Period", description = "Whole UTC days [start, end)")
    public record Period(LocalDate start, LocalDate end) {
    }

    @Schema(name = "InvoicePreview", description = "The upcoming invoice of the current period, computed now from the"
            + " metered usage so far")
    public record InvoicePreview(String tenant, UUID subscription, String currency, Period period,
            @Schema(description = "Usage prices use the plan in force at the period's end (the last phase)") String plan,
            List<LineItem> lines,
            @Schema(description = "Sum of the rounded lines, in the currency's minor-unit scale") BigDecimal total,
            Instant computedAt) {
    }
}
