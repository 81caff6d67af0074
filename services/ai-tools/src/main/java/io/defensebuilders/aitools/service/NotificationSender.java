package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.defensebuilders.aitools.Notification;
import io.defensebuilders.aitools.Subscription;
import io.defensebuilders.aitools.config.AiToolsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends one notification: the channel's body, a webhook's signed per the Standard Webhooks specification
 * ({@code webhook-id} = the notification's id, the same on every attempt, so a receiver can drop a repeat;
 * {@code webhook-timestamp}; {@code webhook-signature} by the reference library), to the address {@link Targets}
 * checked. Redirects are not followed (one could lead to a forbidden address).
 */
@ApplicationScoped
public class NotificationSender {

    /** The receiver's answer (status, or 0 when there was none) and, when it failed, why. */
    public record Outcome(int status, String error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final Targets targets;
    private final NotificationMessages messages;
    private final ObjectMapper json;
    private final Duration timeout;

    public NotificationSender(Vertx vertx, Targets targets, NotificationMessages messages, ObjectMapper json,
            AiToolsConfig config) {
        this.timeout = config.notifications().sendTimeout();
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setVerifyHost(true).setForceSni(true).setMaxPoolSize(32).setKeepAlive(true));
        this.targets = targets;
        this.messages = messages;
        this.json = json;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** Sends without blocking; the future always completes with an outcome. */
    public Future<Outcome> send(Notification notification, Subscription.Channel channel, String url, String secret) {
        Targets.Resolved resolved;
        String body;
        try {
            resolved = targets.resolve(targets.parse("url", url));
            body = json.writeValueAsString(messages.body(channel, notification.payload()));
        } catch (Targets.Forbidden | Targets.Unreachable e) {
            return Future.succeededFuture(new Outcome(0, e.getMessage()));
        } catch (JsonProcessingException e) {
            return Future.succeededFuture(new Outcome(0, "cannot write the notification: " + e.getOriginalMessage()));
        }
        Targets.Target target = resolved.target();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new java.net.InetSocketAddress(resolved.address(),
                        target.port())))
                .setHost(target.host()).setPort(target.port()).setSsl(target.https()).setURI(target.pathAndQuery())
                .setTimeout(timeout.toMillis()).setFollowRedirects(false)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "defense-builders-notifications/1");
        if (channel == Subscription.Channel.WEBHOOK) {
            String id = "msg_" + notification.id().toString().replace("-", "");
            long timestamp = Instant.now().getEpochSecond();
            try {
                options.putHeader("webhook-id", id).putHeader("webhook-timestamp", Long.toString(timestamp))
                        .putHeader("webhook-signature", new Webhook(secret).sign(id, timestamp, body));
            } catch (Exception e) {
                return Future.succeededFuture(new Outcome(0, "cannot sign: " + e.getMessage()));
            }
        }
        return http.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(answer -> new Outcome(response.statusCode(),
                        response.statusCode() / 100 == 2 ? null
                                : "HTTP " + response.statusCode() + ": "
                                        + truncate(answer.toString()))))
                .recover(e -> Future.succeededFuture(new Outcome(0, target.host() + " did not answer: "
                        + truncate(String.valueOf(e.getMessage())))));
    }

    private static String truncate(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= 300 ? line : line.substring(0, 299) + "…";
    }
}
