package io.defensebuilders.aitools.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.aitools.Notification;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Notifications: one per event and subscription, claimed for delivery with a lease, settled, replayed. */
@ApplicationScoped
public class NotificationRepository {

    private static final String COLUMNS = "id, subscription_id, event_id, type, status, attempts, last_status,"
            + " last_error, payload::text AS payload, created_at, next_attempt_at, delivered_at";
    private final ObjectMapper json;

    public NotificationRepository(ObjectMapper json) {
        this.json = json;
    }

    /** Queues {@code payload} for the subscription unless this event reached it before; whether it was new. */
    public Uni<Boolean> enqueue(SqlClient c, UUID subscription, String eventId, String type, JsonObject payload,
            Instant now) {
        return c.preparedQuery("INSERT INTO notification (id, subscription_id, event_id, type, payload, status,"
                + " next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6, $6)"
                + " ON CONFLICT (subscription_id, event_id) DO NOTHING")
                .execute(Sql.tuple(UUID.randomUUID(), subscription, eventId, type, payload, now))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims up to {@code limit} pending notifications whose time has come, for {@code lease}: each attempt is counted
     * as it is claimed, so a replica that dies mid-send does not send forever.
     */
    public Uni<List<Notification>> claim(SqlClient c, int limit, Instant now, Duration lease) {
        return c.preparedQuery("UPDATE notification n SET attempts = n.attempts + 1, next_attempt_at = $2,"
                + " updated_at = $1 FROM (SELECT id FROM notification WHERE status = 'pending' AND next_attempt_at <= $1"
                + " ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due WHERE n.id = due.id RETURNING n.id,"
                + " n.subscription_id, n.event_id, n.type, n.status, n.attempts, n.last_status, n.last_error,"
                + " n.payload::text AS payload, n.created_at, n.next_attempt_at, n.delivered_at")
                .execute(Sql.tuple(now, now.plus(lease), limit)).map(rows -> Sql.list(rows, this::notification));
    }

    /** Delivered, or pending again at {@code retryAt}, or dead ({@code retryAt} null and not delivered). */
    public Uni<Void> settle(SqlClient c, UUID id, Notification.Status status, Integer httpStatus, String error,
            Instant retryAt, Instant now) {
        return c.preparedQuery("UPDATE notification SET status = $2, last_status = $3, last_error = $4,"
                + " next_attempt_at = $5, delivered_at = CASE WHEN $2 = 'delivered' THEN $6 END, updated_at = $6"
                + " WHERE id = $1")
                .execute(Sql.tuple(id, status.value(), httpStatus, error, retryAt, now)).replaceWithVoid();
    }

    /** Puts a claimed notification back until {@code until} without spending the attempt its claim counted. */
    public Uni<Void> hold(SqlClient c, UUID id, String why, Instant until, Instant now) {
        return c.preparedQuery("UPDATE notification SET attempts = attempts - 1, last_error = $2, next_attempt_at = $3,"
                + " updated_at = $4 WHERE id = $1").execute(Sql.tuple(id, why, until, now)).replaceWithVoid();
    }

    /** The subscription's notification of one platform event. */
    public Uni<Optional<Notification>> findByEvent(SqlClient c, UUID subscription, String eventId) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM notification WHERE subscription_id = $1 AND event_id = $2")
                .execute(Sql.tuple(subscription, eventId)).map(rows -> Sql.first(rows, this::notification));
    }

    /** The subscription's notifications, newest first, of one status or all. */
    public Uni<List<Notification>> list(SqlClient c, UUID subscription, Notification.Status status, int limit) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM notification WHERE subscription_id = $1"
                + " AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id LIMIT $3")
                .execute(Sql.tuple(subscription, status == null ? null : status.value(), limit))
                .map(rows -> Sql.list(rows, this::notification));
    }

    public Uni<Optional<Notification>> find(SqlClient c, UUID subscription, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM notification WHERE subscription_id = $1 AND id = $2")
                .execute(Sql.tuple(subscription, id)).map(rows -> Sql.first(rows, this::notification));
    }

    /** Puts dead notifications of the subscription (one, or all when {@code id} is null) back in line; how many. */
    public Uni<Integer> replay(SqlClient c, UUID subscription, UUID id, Instant now) {
        return c.preparedQuery("UPDATE notification SET status = 'pending', attempts = 0, next_attempt_at = $3,"
                + " updated_at = $3 WHERE subscription_id = $1 AND ($2::uuid IS NULL OR id = $2) AND status = 'dead'")
                .execute(Sql.tuple(subscription, id, now)).map(rows -> rows.rowCount());
    }

    /** Makes the subscription's pending notifications due now (it was resumed). */
    public Uni<Void> dueNow(SqlClient c, UUID subscription, Instant now) {
        return c.preparedQuery("UPDATE notification SET next_attempt_at = $2 WHERE subscription_id = $1"
                + " AND status = 'pending' AND next_attempt_at > $2").execute(Sql.tuple(subscription, now))
                .replaceWithVoid();
    }

    /** Forgets notifications created before {@code before}: delivered, dead, or held that long by a pause. */
    public Uni<Integer> forget(SqlClient c, Instant before) {
        return c.preparedQuery("DELETE FROM notification WHERE created_at < $1")
                .execute(Sql.tuple(before)).map(rows -> rows.rowCount());
    }

    private Notification notification(Row r) {
        JsonNode payload;
        try {
            payload = json.readTree(r.getString("payload"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Notification(r.getUUID("id"), r.getUUID("subscription_id"), r.getString("event_id"),
                r.getString("type"), Notification.Status.of(r.getString("status")), r.getInteger("attempts"),
                r.getInteger("last_status"), r.getString("last_error"), payload, Sql.instant(r, "created_at"),
                Sql.instant(r, "next_attempt_at"), Sql.instant(r, "delivered_at"));
    }
}
