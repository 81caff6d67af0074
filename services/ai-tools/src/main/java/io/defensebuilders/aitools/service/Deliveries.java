package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.Integration;
import io.defensebuilders.aitools.repository.DeliveryRepository;
import io.defensebuilders.aitools.repository.IntegrationRepository;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.IntegrationsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.platform.events.Outbox;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What every signed delivery goes through once its sender is known: the integration its URL names (a 404 when there
 * is none of that kind), its opened secret, and the record of a delivery seen for the first time: the delivery row
 * (its id deduplicates) and its {@code integrations.v1} event in one transaction, so a redelivery never makes a second
 * event or a second piece of work.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class Deliveries {

    /** A delivery as received: its normalised event and, when it starts work, that work. */
    public record Received(String deliveryId, String event, String subject, String actor, Map<String, String> attributes,
            JsonObject work) {
    }

    private static final Duration DB = Duration.ofSeconds(10);
    private static final String SOURCE = "/services/ai-tools/integrations";
    private final Pool pool;
    private final IntegrationRepository integrations;
    private final DeliveryRepository deliveries;
    private final IntegrationSecrets secrets;
    private final Outbox outbox;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public Deliveries(Pool pool, IntegrationRepository integrations, DeliveryRepository deliveries,
            IntegrationSecrets secrets, Outbox outbox, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.pool = pool;
        this.integrations = integrations;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.outbox = outbox;
        // every source's outcomes and refusals are series from the start, at 0: the dashboard's rates show 0 rather
        // than no data, and DbpWebhookSignaturesRefused sees the first refusal as an increase
        for (Integration.Kind kind : Integration.Kind.values()) {
            for (String outcome : List.of("new", "duplicate")) {
                meters.counter("dbp.ai_tools.deliveries", "source", kind.value(), "outcome", outcome);
            }
            for (String reason : kind == Integration.Kind.SLACK ? List.of("signature", "stale") : List.of("signature")) {
                meters.counter("dbp.ai_tools.deliveries.refused", "source", kind.value(), "reason", reason);
            }
        }
    }

    /** The integration of {@code kind} with {@code id}, whichever tenant's, else a 404. */
    public Integration integration(UUID id, Integration.Kind kind) {
        return integrations.find(pool, id).await().atMost(DB).filter(i -> i.kind() == kind)
                .orElseThrow(() -> ProblemException.notFound("no " + kind.value() + " integration " + id));
    }

    /** The integration's webhook secret, opened. */
    public String secret(Integration integration) {
        return secrets.open(integration.id(), "secret", sealed(integration).secret());
    }

    /** The integration's GitHub token, opened, if it has one. */
    public Optional<String> token(Integration integration) {
        byte[] token = sealed(integration).token();
        return token == null ? Optional.empty() : Optional.of(secrets.open(integration.id(), "token", token));
    }

    /** Records a delivery; false when its id was recorded before (nothing is done twice). */
    public boolean record(Integration integration, Received received) {
        if (received.deliveryId() == null || received.deliveryId().isBlank() || received.deliveryId().length() > 200) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "the delivery has no usable id");
        }
        Instant now = Instant.now();
        IntegrationsV1 data = new IntegrationsV1(integration.tenant(), integration.id().toString(),
                integration.kind().value(), received.event(), received.deliveryId(), received.subject(),
                received.actor(), received.attributes(), now);
        String type = integration.kind() == Integration.Kind.GITHUB ? IntegrationsV1.GITHUB : IntegrationsV1.SLACK;
        // the event's id is derived from the delivery's, so even a second writer's event would be the same event
        String eventId = UUID.nameUUIDFromBytes((integration.id() + "/" + received.deliveryId())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        CloudEvent<IntegrationsV1> event = CloudEvent.of(eventId, SOURCE, type, integration.tenant(),
                received.subject(), now, data);
        boolean first = pool.withTransaction(tx -> deliveries.record(tx, integration.id(), received.deliveryId(),
                received.event(), received.work(), now)
                .call(isNew -> isNew ? outbox.append(tx, Topics.INTEGRATIONS_V1, event)
                        : io.smallrye.mutiny.Uni.createFrom().voidItem()))
                .await().atMost(DB);
        meters.counter("dbp.ai_tools.deliveries", "source", integration.kind().value(), "outcome",
                first ? "new" : "duplicate").increment();
        return first;
    }

    /** Counts a delivery refused before it was recorded: {@code reason} signature, stale, other. */
    public void refused(Integration.Kind kind, String reason) {
        meters.counter("dbp.ai_tools.deliveries.refused", "source", kind.value(), "reason", reason).increment();
    }

    private IntegrationRepository.Sealed sealed(Integration integration) {
        return integrations.sealed(pool, integration.id()).await().atMost(DB)
                .orElseThrow(() -> ProblemException.notFound("no integration " + integration.id()));
    }
}
