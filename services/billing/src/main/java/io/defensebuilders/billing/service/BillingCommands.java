package io.defensebuilders.billing.service;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.pricing.Charge;

/** Request bodies of the plan, subscription and credit-note endpoints. */
public final class BillingCommands {

    public static final String PLAN_KEY_REGEX = "[a-z0-9][a-z0-9._-]{0,63}";
    public static final String TENANT_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,199}";

    private BillingCommands() {
    }

    @Schema(name = "NewPlan", description = "A plan: its prices per period and its limits")
    public record NewPlan(
            @NotBlank @Pattern(regexp = PLAN_KEY_REGEX, message = "lowercase letters, digits, '.', '-', '_', at most 64") @Schema(example = "pro") String key,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 1000) String description,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code") @Schema(example = "USD") String currency,
            @Schema(description = "No list price (priced by contract); takes no charges") boolean custom,
            @Size(max = 50) List<@NotNull Charge> charges,
            @Size(max = 50) @Schema(description = "Limits for entitlements (null value: unlimited)") Map<String, Object> limits) {
    }

    @Schema(name = "PlanChanges", description = "The next version of a plan: every field replaces the current one")
    public record PlanVersion(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 1000) String description,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code") String currency,
            boolean custom,
            @Size(max = 50) List<@NotNull Charge> charges,
            @Size(max = 50) Map<String, Object> limits) {
    }

    @Schema(name = "NewSubscription")
    public record NewSubscription(
            @NotBlank @Pattern(regexp = PLAN_KEY_REGEX) @Schema(description = "Plan key; its latest version is used", example = "pro") String plan,
            @Schema(description = "First day (UTC); default today") LocalDate startDate,
            @Min(1) @Max(28) @Schema(description = "Day of the month billing periods start; default the start day (at most 28)") Integer anchorDay,
            @Pattern(regexp = TENANT_REGEX) @Schema(description = "Platform admins only: the tenant to subscribe (default: the caller's)") String tenant) {
    }

    @Schema(name = "PlanChange")
    public record PlanChange(
            @NotBlank @Pattern(regexp = PLAN_KEY_REGEX) @Schema(example = "team") String plan,
            @Schema(description = "The day (UTC) the new plan starts; default today. Not before the current phase's start") LocalDate effectiveDate) {
    }

    @Schema(name = "NewCreditNote")
    public record NewCreditNote(
            @NotNull @jakarta.validation.constraints.DecimalMin(value = "0", inclusive = false) @jakarta.validation.constraints.Digits(integer = 18, fraction = 18) @Schema(description = "In the invoice's currency, at most its minor unit", example = "49.50") java.math.BigDecimal amount,
            @NotBlank @Size(max = 1000) String reason) {
    }
}
