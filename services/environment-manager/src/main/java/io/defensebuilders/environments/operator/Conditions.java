package io.defensebuilders.environments.operator;

import java.time.Instant;
import java.util.Comparator;

import io.defensebuilders.environments.EnvironmentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** The four Kubernetes-style conditions of an Environment's status, and how one is set. */
public final class Conditions {

    public static final String VALID = "Valid";
    public static final String SDKS_RESOLVED = "SdksResolved";
    public static final String PROVISIONED = "Provisioned";
    public static final String READY = "Ready";

    /** Longest message kept on a condition. */
    private static final int MAX_MESSAGE = 1000;

    private Conditions() {
    }

    /** Sets a condition; its lastTransitionTime changes only when its status does. */
    static void set(EnvironmentStatus status, String type, boolean ok, String reason, String message, long generation,
            Instant now) {
        String value = ok ? "True" : "False";
        Condition existing = status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = existing != null && value.equals(existing.getStatus()) ? existing.getLastTransitionTime()
                : now.toString();
        status.conditions.removeIf(c -> type.equals(c.getType()));
        status.conditions.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build());
    }

    /** Orders the conditions by type, so that the same conditions always serialise alike. */
    static void sort(EnvironmentStatus status) {
        status.conditions.sort(Comparator.comparing(Condition::getType));
    }
}
