package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code environments.v1}: an environment changed phase. The CloudEvent type says what ({@link #CREATED},
 * {@link #READY}, {@link #SLEEPING}, {@link #WOKEN}, {@link #FAILED}, {@link #DELETED}); the CloudEvent subject is the
 * environment's name.
 *
 * @param tenant tenant that owns the environment
 * @param environment the Environment resource's name
 * @param uid the Environment resource's Kubernetes uid (names are reused, uids never)
 * @param owner who owns it (user or API key id)
 * @param phase the phase it entered (Pending, Provisioning, Ready, Sleeping, Deleting, Failed)
 * @param namespace the Kubernetes namespace it runs in
 * @param reason why, for {@link #FAILED} and {@link #DELETED} (e.g. the ttl ran out)
 * @param occurredAt when it happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentsV1(String tenant, String environment, String uid, String owner, String phase,
        String namespace, String reason, Instant occurredAt) {

    public static final String CREATED = "io.defensebuilders.environments.v1.environment.created";
    public static final String READY = "io.defensebuilders.environments.v1.environment.ready";
    public static final String SLEEPING = "io.defensebuilders.environments.v1.environment.sleeping";
    public static final String WOKEN = "io.defensebuilders.environments.v1.environment.woken";
    public static final String FAILED = "io.defensebuilders.environments.v1.environment.failed";
    /** Its ttl runs out soon: sent once per expiry time, {@code reason} says when. */
    public static final String EXPIRING = "io.defensebuilders.environments.v1.environment.expiring";
    public static final String DELETED = "io.defensebuilders.environments.v1.environment.deleted";

    public EnvironmentsV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
