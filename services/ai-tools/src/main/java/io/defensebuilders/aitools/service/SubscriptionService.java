package io.defensebuilders.aitools.service;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.Notification;
import io.defensebuilders.aitools.NotificationType;
import io.defensebuilders.aitools.Subscription;
import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.repository.NotificationRepository;
import io.defensebuilders.aitools.repository.SubscriptionRepository;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A tenant's notification subscriptions (admin role to change them, viewer to read): create with a checked target,
 * list, pause and resume, delete; its notifications and dead letters; replay; a test notification. Another tenant's
 * subscription is a 404.
 */
@ApplicationScoped
public class SubscriptionService {

    /** What a new subscription asks for. */
    public record NewSubscription(String name, Subscription.Channel channel, String url, List<String> events,
            Double minProbability, String minThreatLevel, List<Integer> noradIds) {
    }

    /** A subscription as created: a webhook's signing secret only now (made here, shown once). */
    public record Created(Subscription subscription, String secret) {
    }

    static final List<String> THREAT_LEVELS = List.of("NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL");
    private static final Duration DB = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final NotificationRepository notifications;
    private final IntegrationSecrets secrets;
    private final Targets targets;
    private final AiToolsConfig.Notifications config;

    public SubscriptionService(Pool pool, SubscriptionRepository subscriptions, NotificationRepository notifications,
            IntegrationSecrets secrets, Targets targets, AiToolsConfig config) {
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.notifications = notifications;
        this.secrets = secrets;
        this.targets = targets;
        this.config = config.notifications();
    }

    public Created create(Caller caller, NewSubscription s) {
        requireAdmin(caller);
        for (String event : s.events()) {
            if (NotificationType.of(event).filter(t -> t != NotificationType.TEST).isEmpty()) {
                throw ProblemException.invalid("events", "'" + event + "' is not one of " + NotificationType.names());
            }
        }
        if (s.minThreatLevel() != null && !THREAT_LEVELS.contains(s.minThreatLevel())) {
            throw ProblemException.invalid("minThreatLevel", "must be one of " + THREAT_LEVELS);
        }
        Targets.Target target = targets.parse("url", s.url());
        try {
            targets.resolve(target);
        } catch (Targets.Forbidden | Targets.Unreachable e) {
            throw ProblemException.invalid("url", e.getMessage());
        }
        if (subscriptions.list(pool, caller.tenant()).await().atMost(DB).size() >= config.maxSubscriptions()) {
            throw ProblemException.conflict("the tenant has " + config.maxSubscriptions()
                    + " subscriptions, the most it may have (dbp.ai-tools.notifications.max-subscriptions)");
        }
        UUID id = UUID.randomUUID();
        String secret = s.channel() == Subscription.Channel.WEBHOOK ? newSecret() : null;
        Subscription subscription = new Subscription(id, caller.tenant(), s.name(), s.channel(), target.host(),
                List.copyOf(new java.util.LinkedHashSet<>(s.events())), s.minProbability(), s.minThreatLevel(),
                s.noradIds() == null || s.noradIds().isEmpty() ? null : List.copyOf(s.noradIds()), true,
                caller.subject(), Instant.now());
        subscriptions.insert(pool, subscription, new SubscriptionRepository.Sealed(secrets.seal(id, "target", s.url()),
                secret == null ? null : secrets.seal(id, "secret", secret))).await().atMost(DB);
        return new Created(subscription, secret);
    }

    public List<Subscription> list(Caller caller) {
        return subscriptions.list(pool, caller.tenant()).await().atMost(DB);
    }

    public Subscription get(Caller caller, UUID id) {
        return subscriptions.find(pool, caller.tenant(), id).await().atMost(DB)
                .orElseThrow(() -> ProblemException.notFound("no subscription " + id));
    }

    public Subscription enable(Caller caller, UUID id, boolean enabled) {
        requireAdmin(caller);
        get(caller, id);
        subscriptions.enable(pool, caller.tenant(), id, enabled).await().atMost(DB);
        if (enabled) {
            // what waited during the pause goes now
            notifications.dueNow(pool, id, Instant.now()).await().atMost(DB);
        }
        return get(caller, id);
    }

    public void delete(Caller caller, UUID id) {
        requireAdmin(caller);
        if (!subscriptions.delete(pool, caller.tenant(), id).await().atMost(DB)) {
            throw ProblemException.notFound("no subscription " + id);
        }
    }

    public List<Notification> notifications(Caller caller, UUID id, Notification.Status status, int limit) {
        get(caller, id);
        return notifications.list(pool, id, status, limit).await().atMost(DB);
    }

    /** Puts a dead letter (or, {@code notification} null, every one of the subscription) back in line; how many. */
    public int replay(Caller caller, UUID id, UUID notification) {
        requireAdmin(caller);
        get(caller, id);
        if (notification != null && notifications.find(pool, id, notification).await().atMost(DB).isEmpty()) {
            throw ProblemException.notFound("no notification " + notification + " of subscription " + id);
        }
        return notifications.replay(pool, id, notification, Instant.now()).await().atMost(DB);
    }

    /** Queues a test notification for the subscription, delivered like any other. */
    public Notification test(Caller caller, UUID id) {
        requireAdmin(caller);
        Subscription s = get(caller, id);
        Instant now = Instant.now();
        String eventId = "test-" + UUID.randomUUID();
        JsonObject payload = new JsonObject().put("type", NotificationType.TEST.value()).put("timestamp", now.toString())
                .put("data", new JsonObject().put("tenant", s.tenant()).put("subscription", s.id().toString())
                        .put("message", "A test notification for subscription '" + s.name() + "'"));
        notifications.enqueue(pool, id, eventId, NotificationType.TEST.value(), payload, now).await().atMost(DB);
        return notifications.findByEvent(pool, id, eventId).await().atMost(DB).orElseThrow();
    }

    /** A Standard Webhooks secret: {@code whsec_} and 32 random bytes, base64. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.has(Role.ADMIN)) {
            throw ProblemException.forbidden("changing notification subscriptions needs the admin role");
        }
    }
}
