package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.aitools.Notification;
import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.repository.NotificationRepository;
import io.defensebuilders.aitools.repository.SubscriptionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Delivers pending notifications: claims the due ones with a lease (one replica sends each), sends them at once,
 * settles each: delivered on a 2xx, else pending again after an exponential backoff with jitter, until the attempts
 * run out and it is a dead letter (listed by the API, replayable). A paused or deleted subscription's notifications
 * wait or go with it.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    private static final Duration DB = Duration.ofSeconds(10);
    private final Pool pool;
    private final NotificationRepository notifications;
    private final SubscriptionRepository subscriptions;
    private final IntegrationSecrets secrets;
    private final NotificationSender sender;
    private final AiToolsConfig.Notifications config;
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;
    private volatile Instant lastForget = Instant.EPOCH;

    public NotificationDispatcher(Pool pool, NotificationRepository notifications, SubscriptionRepository subscriptions,
            IntegrationSecrets secrets, NotificationSender sender, AiToolsConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.notifications = notifications;
        this.subscriptions = subscriptions;
        this.secrets = secrets;
        this.sender = sender;
        this.config = config.notifications();
        this.delivered = Counter.builder("dbp.ai_tools.notifications.delivered").description("notifications a receiver"
                + " took (2xx)").register(registry);
        this.failed = Counter.builder("dbp.ai_tools.notifications.failed.attempts").description("attempts that failed"
                + " (no answer, or not 2xx)").register(registry);
        this.dead = Counter.builder("dbp.ai_tools.notifications.dead").description("notifications that ran out of"
                + " attempts (dead letters)").register(registry);
    }

    @Scheduled(every = "${dbp.ai-tools.notifications.dispatch-every:1s}", concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        try {
            Instant now = Instant.now();
            List<Notification> due = pool.withTransaction(tx -> notifications.claim(tx, 32, now,
                    config.sendTimeout().multipliedBy(3))).await().atMost(DB);
            List<Future<Void>> sends = new ArrayList<>();
            for (Notification n : due) {
                try {
                    sends.add(send(n));
                } catch (RuntimeException e) {
                    // this one waits for its lease to end; the others of the round still go
                    LOG.warnf("notification %s not sent this round: %s", n.id(), e.toString());
                }
            }
            Future.join(sends).toCompletionStage().toCompletableFuture().get(config.sendTimeout().toMillis() * 3,
                    TimeUnit.MILLISECONDS);
            if (Duration.between(lastForget, now).toHours() >= 1) {
                lastForget = now;
                notifications.forget(pool, now.minus(config.keep())).await().atMost(DB);
            }
        } catch (Exception e) {
            LOG.warnf("notification round failed, trying again: %s", e.toString());
        }
    }

    private Future<Void> send(Notification n) {
        var found = subscriptions.forDelivery(pool, n.subscription()).await().atMost(DB);
        if (found.isEmpty()) {
            return Future.succeededFuture(); // deleted: its notifications went with it
        }
        SubscriptionRepository.Delivery subscription = found.get();
        if (!subscription.enabled()) {
            // paused: waits (resuming makes it due at once), without spending its attempts
            Instant now = Instant.now();
            background(n, notifications.hold(pool, n.id(), "the subscription is paused", now.plus(Duration.ofMinutes(1)),
                    now));
            return Future.succeededFuture();
        }
        SubscriptionRepository.Sealed sealed = subscription.sealed();
        String url = secrets.open(n.subscription(), "target", sealed.target());
        String secret = sealed.secret() == null ? null : secrets.open(n.subscription(), "secret", sealed.secret());
        return sender.send(n, subscription.channel(), url, secret)
                .map(outcome -> {
                    Instant now = Instant.now();
                    if (outcome.delivered()) {
                        delivered.increment();
                        settle(n, Notification.Status.DELIVERED, outcome.status(), null, null);
                    } else if (n.attempts() >= config.attempts()) {
                        failed.increment();
                        dead.increment();
                        settle(n, Notification.Status.DEAD, outcome.status() == 0 ? null : outcome.status(),
                                outcome.error(), null);
                    } else {
                        failed.increment();
                        settle(n, Notification.Status.PENDING, outcome.status() == 0 ? null : outcome.status(),
                                outcome.error(), now.plus(Backoff.after(n.attempts(), config.firstRetry())));
                    }
                    return null;
                });
    }

    private void settle(Notification n, Notification.Status status, Integer httpStatus, String error, Instant retryAt) {
        background(n, notifications.settle(pool, n.id(), status, httpStatus, error, retryAt, Instant.now()));
    }

    /** Runs a notification's update without waiting: the send's answer completes on the event loop. */
    private static void background(Notification n, io.smallrye.mutiny.Uni<Void> update) {
        update.subscribe().with(ignored -> {
        }, e -> LOG.warnf("cannot settle notification %s: %s", n.id(), e.toString()));
    }
}
