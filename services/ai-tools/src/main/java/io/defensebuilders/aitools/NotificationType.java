package io.defensebuilders.aitools;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The events a subscription can ask for, each from a platform topic: the name a subscription lists and a webhook's
 * {@code type} carries.
 */
public enum NotificationType {
    /** An object's CCDM assessment changed (orbital.ccdm.v1); filters: min threat level, NORAD ids. */
    CCDM_CHANGED("ccdm.changed", "CCDM assessment changed"),
    /** A screening of the tenant found a conjunction (orbital.conjunctions.v1); filters: min probability, NORAD ids. */
    CONJUNCTION_FOUND("conjunction.found", "Conjunction found"),
    /** An environment is Ready (environments.v1). */
    ENVIRONMENT_READY("environment.ready", "Environment ready"),
    /** An environment failed (environments.v1). */
    ENVIRONMENT_FAILED("environment.failed", "Environment failed"),
    /** An environment's ttl runs out soon (environments.v1 expiring: an hour ahead, or a quarter of a short ttl). */
    ENVIRONMENT_EXPIRING("environment.expiring", "Environment expiring soon"),
    /** An environment was deleted because its ttl ran out or it slept too long (environments.v1). */
    ENVIRONMENT_EXPIRED("environment.expired", "Environment expired"),
    /** An invoice of the tenant was issued (billing.v1). */
    INVOICE_ISSUED("invoice.issued", "Invoice issued"),
    /** A metered plan limit is 80 % used, or reached (billing.v1). */
    LIMIT_NEAR("plan.limit-near", "Plan limit near"),
    /** A test the tenant asked for (POST .../test): every subscription receives it. */
    TEST("test", "Test notification");

    private final String value;
    private final String title;

    NotificationType(String value, String title) {
        this.value = value;
        this.title = title;
    }

    public String value() {
        return value;
    }

    public String title() {
        return title;
    }

    public static Optional<NotificationType> of(String value) {
        return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
    }

    /** The names a subscription may list. */
    public static List<String> names() {
        return Arrays.stream(values()).filter(t -> t != TEST).map(NotificationType::value).toList();
    }
}
