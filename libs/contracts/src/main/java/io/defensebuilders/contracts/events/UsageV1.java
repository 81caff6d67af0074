package io.defensebuilders.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Payload of {@code usage.v1} (CloudEvent type {@value #TYPE}): one metered quantity for one tenant.
 * Billing and analytics aggregate these per {@code meter}; the quantity is exact (never floating point).
 *
 * @param tenant tenant that is billed
 * @param meter e.g. {@value #API_CALL}, {@value #ARTIFACT_DOWNLOAD}, {@value #ENVIRONMENT_MINUTES}
 * @param quantity how much, in the meter's unit
 * @param subject who caused it (user or API key id)
 * @param occurredAt when it happened (billing assigns the event to the period containing this instant)
 * @param attributes dimensions a meter may group by (route, sdk, version, ...)
 */
public record UsageV1(String tenant, String meter, BigDecimal quantity, String subject, Instant occurredAt,
        Map<String, String> attributes) {

    public static final String TYPE = "io.defensebuilders.usage.v1";
    public static final String API_CALL = "api.call";
    public static final String ARTIFACT_DOWNLOAD = "artifact.download";
    public static final String ENVIRONMENT_MINUTES = "environment.minutes";
    public static final String INFERENCE_CALL = "inference.call";
    public static final String MCP_TOOL_CALL = "mcp.tool_call";

    public UsageV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(occurredAt, "occurredAt");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
