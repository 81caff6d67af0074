package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code integrations.v1}: a delivery from GitHub or Slack that a tenant's integration received, checked
 * (signature, freshness) and seen for the first time. The CloudEvent type is {@link #GITHUB} or {@link #SLACK}, its
 * subject the repository or the Slack channel, its id the sender's delivery id (a redelivery is not a second event).
 *
 * @param tenant the integration's tenant
 * @param integration the integration's id
 * @param source {@code github} or {@code slack}
 * @param event what the sender says happened: {@code release.published}, {@code push}, {@code ping} (GitHub's event
 *        and action), {@code app_mention}, {@code message} (Slack's event type)
 * @param deliveryId the sender's id of this delivery (X-GitHub-Delivery, Slack's event_id)
 * @param subject the repository ({@code owner/name}) or Slack channel it concerns, when there is one
 * @param actor who did it there (a GitHub login, a Slack user id), when known
 * @param attributes a few facts of the event worth querying (a release's tag, a push's ref)
 * @param occurredAt when it was received
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrationsV1(String tenant, String integration, String source, String event, String deliveryId,
        String subject, String actor, Map<String, String> attributes, Instant occurredAt) {

    public static final String GITHUB = "io.defensebuilders.integrations.v1.github.delivery";
    public static final String SLACK = "io.defensebuilders.integrations.v1.slack.delivery";

    public IntegrationsV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(occurredAt, "occurredAt");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
