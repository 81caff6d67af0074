package io.defensebuilders.aitools.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.NotificationType;
import io.defensebuilders.aitools.Subscription;
import io.defensebuilders.aitools.repository.NotificationRepository;
import io.defensebuilders.aitools.repository.SubscriptionRepository;
import io.defensebuilders.contracts.events.BillingV1;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.contracts.events.OrbitalCcdmV1;
import io.defensebuilders.contracts.events.OrbitalConjunctionsV1;
import io.defensebuilders.contracts.events.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Which platform events become which notifications, and for whom: a CCDM change (its tenant's, or, for the shared
 * catalog, any tenant's subscription naming the object), a conjunction a tenant's screening found, an environment
 * that became ready, failed or expired. Each subscription's filters apply (minimum threat level or probability, NORAD
 * ids); an invoice issued, a plan limit 80 % used or reached. An event reaches a subscription once (its CloudEvent source and
 * id).
 */
@ApplicationScoped
public class NotificationRouter {

    /** An event as notifications see it. */
    record Routed(NotificationType type, String tenant, boolean shared, int[] noradIds) {
    }

    /** The topics notifications come from. */
    public static final List<String> TOPICS = List.of(Topics.ORBITAL_CCDM_V1, Topics.ORBITAL_CONJUNCTIONS_V1,
            Topics.ENVIRONMENTS_V1, Topics.BILLING_V1);

    private final SubscriptionRepository subscriptions;
    private final NotificationRepository notifications;

    public NotificationRouter(SubscriptionRepository subscriptions, NotificationRepository notifications) {
        this.subscriptions = subscriptions;
        this.notifications = notifications;
    }

    /** Queues the event for every subscription it reaches; how many notifications are new. */
    public Uni<Integer> route(SqlClient tx, String topic, CloudEvent<JsonNode> event) {
        Optional<Routed> routed = routed(topic, event);
        if (routed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Routed r = routed.get();
        JsonNode data = event.data();
        Instant now = Instant.now();
        JsonObject payload = new JsonObject().put("type", r.type().value())
                .put("timestamp", (event.time() == null ? now : event.time()).toString())
                .put("data", new JsonObject(data.toString()));
        String eventId = event.source() + "#" + event.id();
        return subscriptions.reached(tx, r.type().value(), r.tenant(), r.shared(), r.noradIds())
                .onItem().transformToMulti(list -> io.smallrye.mutiny.Multi.createFrom().iterable(list))
                .filter(s -> wants(s, r, data))
                .onItem().transformToUniAndConcatenate(s -> notifications.enqueue(tx, s.id(), eventId,
                        r.type().value(), payload, now))
                .collect().asList().map(added -> (int) added.stream().filter(Boolean::booleanValue).count());
    }

    static Optional<Routed> routed(String topic, CloudEvent<JsonNode> event) {
        JsonNode d = event.data();
        if (d == null || !d.hasNonNull("tenant")) {
            return Optional.empty();
        }
        String tenant = d.path("tenant").asText();
        if (topic.equals(Topics.ORBITAL_CCDM_V1) && OrbitalCcdmV1.ASSESSMENT_CHANGED.equals(event.type())) {
            boolean shared = !event.source().contains("/tenants/");
            return Optional.of(new Routed(NotificationType.CCDM_CHANGED, tenant, shared,
                    new int[] { d.path("noradId").asInt() }));
        }
        if (topic.equals(Topics.ORBITAL_CONJUNCTIONS_V1) && OrbitalConjunctionsV1.CONJUNCTION_FOUND.equals(event.type())) {
            return Optional.of(new Routed(NotificationType.CONJUNCTION_FOUND, tenant, false,
                    new int[] { d.path("primaryNoradId").asInt(), d.path("secondaryNoradId").asInt() }));
        }
        if (topic.equals(Topics.BILLING_V1)) {
            NotificationType type = switch (event.type()) {
                case BillingV1.INVOICE_ISSUED -> NotificationType.INVOICE_ISSUED;
                case BillingV1.LIMIT_NEAR -> NotificationType.LIMIT_NEAR;
                default -> null;
            };
            return Optional.ofNullable(type).map(t -> new Routed(t, tenant, false, new int[0]));
        }
        if (topic.equals(Topics.ENVIRONMENTS_V1)) {
            NotificationType type = switch (event.type()) {
                case EnvironmentsV1.READY -> NotificationType.ENVIRONMENT_READY;
                case EnvironmentsV1.FAILED -> NotificationType.ENVIRONMENT_FAILED;
                case EnvironmentsV1.EXPIRING -> NotificationType.ENVIRONMENT_EXPIRING;
                // deleted by its owner ("deleted") is no news; by its ttl or idle limit it is
                case EnvironmentsV1.DELETED -> "deleted".equals(d.path("reason").asText("deleted")) ? null
                        : NotificationType.ENVIRONMENT_EXPIRED;
                default -> null;
            };
            return Optional.ofNullable(type).map(t -> new Routed(t, tenant, false, new int[0]));
        }
        return Optional.empty();
    }

    /** The subscription's own filters. */
    static boolean wants(Subscription s, Routed r, JsonNode data) {
        if (s.noradIds() != null && r.noradIds().length > 0
                && java.util.Arrays.stream(r.noradIds()).noneMatch(id -> s.noradIds().contains(id))) {
            return false;
        }
        if (r.type() == NotificationType.CCDM_CHANGED && s.minThreatLevel() != null) {
            int level = SubscriptionService.THREAT_LEVELS.indexOf(data.path("threatLevel").asText());
            if (level < SubscriptionService.THREAT_LEVELS.indexOf(s.minThreatLevel())) {
                return false;
            }
        }
        if (r.type() == NotificationType.CONJUNCTION_FOUND && s.minProbability() != null) {
            return data.path("probability").asDouble(0) >= s.minProbability();
        }
        return true;
    }
}
