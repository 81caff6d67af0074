package io.defensebuilders.aitools.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.Delivery;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Deliveries by the sender's id: the first of an id is recorded, a redelivery finds it there. */
@ApplicationScoped
public class DeliveryRepository {

    /** A pending delivery's work, claimed by one replica. */
    public record Work(UUID integration, String delivery, JsonObject work, int attempts) {
    }

    private static final String COLUMNS = "integration_id, delivery_id, event, status, attempts, detail, received_at,"
            + " updated_at";

    /**
     * Records a delivery seen for the first time, {@code pending} with its work when it has some; false when the id
     * was recorded before (a redelivery).
     */
    public Uni<Boolean> record(SqlClient c, UUID integration, String delivery, String event, JsonObject work,
            Instant at) {
        return c.preparedQuery("INSERT INTO delivery (integration_id, delivery_id, event, status, work, next_attempt_at,"
                + " received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6) ON CONFLICT DO NOTHING")
                .execute(Sql.tuple(integration, delivery, event, work == null ? "received" : "pending", work, at))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims up to {@code limit} pending deliveries whose time has come, for {@code lease} (another replica takes one
     * whose lease ran out): their next attempt moves to the lease's end and the attempt is counted.
     */
    public Uni<List<Work>> claim(SqlClient c, int limit, Instant now, Duration lease) {
        return c.preparedQuery("UPDATE delivery d SET attempts = d.attempts + 1, next_attempt_at = $2, updated_at = $1"
                + " FROM (SELECT integration_id, delivery_id FROM delivery WHERE status = 'pending'"
                + " AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due"
                + " WHERE d.integration_id = due.integration_id AND d.delivery_id = due.delivery_id"
                + " RETURNING d.integration_id, d.delivery_id, d.work, d.attempts")
                .execute(Sql.tuple(now, now.plus(lease), limit))
                .map(rows -> Sql.list(rows, r -> new Work(r.getUUID("integration_id"), r.getString("delivery_id"),
                        (JsonObject) r.getValue("work"), r.getInteger("attempts"))));
    }

    /** The work's outcome: done or failed for good, or pending again at {@code retryAt}. */
    public Uni<Void> settle(SqlClient c, UUID integration, String delivery, Delivery.Status status, String detail,
            Instant retryAt, Instant now) {
        return c.preparedQuery("UPDATE delivery SET status = $3, detail = $4, next_attempt_at = $5, updated_at = $6"
                + " WHERE integration_id = $1 AND delivery_id = $2")
                .execute(Sql.tuple(integration, delivery, status.value(), detail, retryAt, now)).replaceWithVoid();
    }

    /** The integration's most recent deliveries, newest first. */
    public Uni<List<Delivery>> recent(SqlClient c, UUID integration, int limit) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM delivery WHERE integration_id = $1"
                + " ORDER BY received_at DESC, delivery_id LIMIT $2")
                .execute(Sql.tuple(integration, limit)).map(rows -> Sql.list(rows, DeliveryRepository::delivery));
    }

    public Uni<Optional<Delivery>> find(SqlClient c, UUID integration, String delivery) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM delivery WHERE integration_id = $1 AND delivery_id = $2")
                .execute(Sql.tuple(integration, delivery)).map(rows -> Sql.first(rows, DeliveryRepository::delivery));
    }

    /** Forgets deliveries received before {@code before} (their ids no longer deduplicate); how many. */
    public Uni<Integer> forget(SqlClient c, Instant before) {
        return c.preparedQuery("DELETE FROM delivery WHERE received_at < $1 AND status <> 'pending'")
                .execute(Sql.tuple(before)).map(rows -> rows.rowCount());
    }

    private static Delivery delivery(Row r) {
        return new Delivery(r.getUUID("integration_id"), r.getString("delivery_id"), r.getString("event"),
                Delivery.Status.of(r.getString("status")), r.getInteger("attempts"), r.getString("detail"),
                Sql.instant(r, "received_at"), Sql.instant(r, "updated_at"));
    }
}
