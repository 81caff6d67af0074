package io.defensebuilders.aitools.repository;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.Subscription;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Subscriptions, their sealed targets and secrets, and which ones an event reaches. */
@ApplicationScoped
public class SubscriptionRepository {

    /** The sealed target URL and signing secret (null for Slack and Teams). */
    public record Sealed(byte[] target, byte[] secret) {
    }

    /** What a send needs of its subscription: the channel, whether it is paused, the sealed target and secret. */
    public record Delivery(Subscription.Channel channel, boolean enabled, Sealed sealed) {
    }

    private static final String COLUMNS = "id, tenant_id, name, channel, target_host, events, min_probability,"
            + " min_threat_level, norad_ids, enabled, created_by, created_at";

    public Uni<Void> insert(SqlClient c, Subscription s, Sealed sealed) {
        return c.preparedQuery("INSERT INTO subscription (id, tenant_id, name, channel, target, target_host, secret,"
                + " events, min_probability, min_threat_level, norad_ids, enabled, created_by, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                .execute(Sql.tuple(s.id(), s.tenant(), s.name(), s.channel().value(), Buffer.buffer(sealed.target()),
                        s.targetHost(), sealed.secret() == null ? null : Buffer.buffer(sealed.secret()),
                        s.events().toArray(String[]::new), s.minProbability(), s.minThreatLevel(),
                        s.noradIds() == null ? null : s.noradIds().toArray(Integer[]::new), s.enabled(), s.createdBy(),
                        s.createdAt()))
                .replaceWithVoid();
    }

    public Uni<Optional<Subscription>> find(SqlClient c, String tenant, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM subscription WHERE tenant_id = $1 AND id = $2")
                .execute(Sql.tuple(tenant, id)).map(rows -> Sql.first(rows, SubscriptionRepository::subscription));
    }

    public Uni<List<Subscription>> list(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM subscription WHERE tenant_id = $1 ORDER BY created_at, id")
                .execute(Sql.tuple(tenant)).map(rows -> Sql.list(rows, SubscriptionRepository::subscription));
    }

    /** The subscription as a send needs it, in one read; empty when it was deleted. */
    public Uni<Optional<Delivery>> forDelivery(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT channel, enabled, target, secret FROM subscription WHERE id = $1")
                .execute(Sql.tuple(id)).map(rows -> Sql.first(rows, r -> new Delivery(
                        Subscription.Channel.of(r.getString("channel")), r.getBoolean("enabled"),
                        new Sealed(r.getBuffer("target").getBytes(),
                                r.getBuffer("secret") == null ? null : r.getBuffer("secret").getBytes()))));
    }

    /** Turns the subscription on or off; false when the tenant has none with {@code id}. */
    public Uni<Boolean> enable(SqlClient c, String tenant, UUID id, boolean enabled) {
        return c.preparedQuery("UPDATE subscription SET enabled = $3 WHERE tenant_id = $1 AND id = $2")
                .execute(Sql.tuple(tenant, id, enabled)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> delete(SqlClient c, String tenant, UUID id) {
        return c.preparedQuery("DELETE FROM subscription WHERE tenant_id = $1 AND id = $2").execute(Sql.tuple(tenant, id))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * The subscriptions (paused ones too: their notifications wait) an event of {@code type} reaches: those of {@code tenant},
     * and, for an event about the
     * shared catalog ({@code shared}), every tenant's that names one of its objects in {@code noradIds}. The
     * subscription's own filters (probability, threat level, its NORAD ids) are the caller's to apply.
     */
    public Uni<List<Subscription>> reached(SqlClient c, String type, String tenant, boolean shared, int[] noradIds) {
        Integer[] ids = Arrays.stream(noradIds).boxed().toArray(Integer[]::new);
        return c.preparedQuery("SELECT " + COLUMNS + " FROM subscription WHERE events @> ARRAY[$1]::text[]"
                + " AND (tenant_id = $2 OR ($3 AND norad_ids && $4::int[]))")
                .execute(Sql.tuple(type, tenant, shared, ids)).map(rows -> Sql.list(rows,
                        SubscriptionRepository::subscription));
    }

    private static Subscription subscription(Row r) {
        Integer[] ids = r.getArrayOfIntegers("norad_ids");
        return new Subscription(r.getUUID("id"), r.getString("tenant_id"), r.getString("name"),
                Subscription.Channel.of(r.getString("channel")), r.getString("target_host"),
                Sql.strings(r, "events"), r.getDouble("min_probability"), r.getString("min_threat_level"),
                ids == null ? null : List.of(ids), r.getBoolean("enabled"), r.getString("created_by"),
                Sql.instant(r, "created_at"));
    }
}
