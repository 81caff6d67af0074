package io.defensebuilders.billing.repository;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Subscription;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Subscriptions and their phases (append-only plan history). */
@ApplicationScoped
public class SubscriptionRepository {

    private static final String COLUMNS = "id, tenant, anchor_day, start_date, ended_on, created_at, created_by";

    private final PlanReads plans;

    public SubscriptionRepository(PlanReads plans) {
        this.plans = plans;
    }

    /** Inserts a subscription with its first phase; a unique violation when the tenant has an active one. */
    public Uni<UUID> insert(SqlClient c, String tenant, int anchorDay, LocalDate start, long planId, String by) {
        UUID id = UUID.randomUUID();
        return c.preparedQuery("INSERT INTO subscription (id, tenant, anchor_day, start_date, created_by)"
                + " VALUES ($1, $2, $3, $4, $5)").execute(Sql.tuple(id, tenant, (short) anchorDay, start, by))
                .chain(() -> insertPhase(c, id, 1, planId, start, by)).replaceWith(id);
    }

    public Uni<Void> insertPhase(SqlClient c, UUID id, int seq, long planId, LocalDate start, String by) {
        return c.preparedQuery("INSERT INTO subscription_phase (subscription_id, seq, plan_id, start_date, created_by)"
                + " VALUES ($1, $2, $3, $4, $5)").execute(Sql.tuple(id, seq, planId, start, by)).replaceWithVoid();
    }

    /** The subscription with its phases; {@code lock} takes a row lock so plan changes queue up. */
    public Uni<Optional<Subscription>> find(SqlClient c, UUID id, boolean lock) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM subscription WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id)).chain(rows -> rows.size() == 0 ? Uni.createFrom().item(Optional.empty())
                        : withPhases(c, rows.iterator().next()).map(Optional::of));
    }

    public Uni<Optional<Subscription>> active(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM subscription WHERE tenant = $1 AND ended_on IS NULL")
                .execute(Tuple.of(tenant)).chain(rows -> rows.size() == 0 ? Uni.createFrom().item(Optional.empty())
                        : withPhases(c, rows.iterator().next()).map(Optional::of));
    }

    public Uni<List<Subscription>> list(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM subscription WHERE tenant = $1 ORDER BY created_at")
                .execute(Tuple.of(tenant)).chain(rows -> {
                    List<Uni<Subscription>> all = new ArrayList<>();
                    rows.forEach(r -> all.add(withPhases(c, r)));
                    return all.isEmpty() ? Uni.createFrom().item(List.<Subscription> of())
                            : Uni.join().all(all).andFailFast();
                });
    }

    /** Ids of every active subscription. */
    public Uni<List<UUID>> activeIds(SqlClient c) {
        return c.query("SELECT id FROM subscription WHERE ended_on IS NULL ORDER BY id").execute().map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getUUID("id")));
            return ids;
        });
    }

    private Uni<Subscription> withPhases(SqlClient c, Row s) {
        UUID id = s.getUUID("id");
        return c.preparedQuery("SELECT ph.seq, ph.start_date, ph.created_at AS phase_created_at, ph.created_by, "
                + PlanReads.COLUMNS + " FROM subscription_phase ph JOIN plan p ON p.id = ph.plan_id"
                + " WHERE ph.subscription_id = $1 ORDER BY ph.seq").execute(Tuple.of(id)).map(rows -> {
                    List<Subscription.Phase> phases = new ArrayList<>();
                    for (Row r : rows) {
                        phases.add(new Subscription.Phase(r.getInteger("seq"), plans.map(r), r.getLocalDate("start_date"),
                                Sql.instant(r, "phase_created_at"), r.getString("created_by")));
                    }
                    return new Subscription(id, s.getString("tenant"), s.getShort("anchor_day"),
                            s.getLocalDate("start_date"), s.getLocalDate("ended_on"), Sql.instant(s, "created_at"),
                            s.getString("created_by"), List.copyOf(phases));
                });
    }
}
