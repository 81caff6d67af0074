package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code registry.v1}: something happened to an SDK or one of its versions. The CloudEvent type says
 * what ({@link #SDK_PUBLISHED}, {@link #VERSION_PUBLISHED}, {@link #VERSION_YANKED}, {@link #VERSION_DEPRECATED}).
 *
 * @param tenant tenant that owns the SDK
 * @param sdk SDK name
 * @param version SemVer version, absent for SDK-level events
 * @param publisher publisher name
 * @param visibility {@code public} or {@code private}
 * @param actor subject who did it
 * @param reason yank reason or deprecation message, when there is one
 * @param occurredAt when it happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryV1(String tenant, String sdk, String version, String publisher, String visibility, String actor,
        String reason, Instant occurredAt) {

    public static final String SDK_PUBLISHED = "io.defensebuilders.registry.v1.sdk.published";
    public static final String VERSION_PUBLISHED = "io.defensebuilders.registry.v1.version.published";
    public static final String VERSION_YANKED = "io.defensebuilders.registry.v1.version.yanked";
    public static final String VERSION_DEPRECATED = "io.defensebuilders.registry.v1.version.deprecated";

    public RegistryV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sdk, "sdk");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
