package io.defensebuilders.billing.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.ValueProperty;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The meter catalog, live meters only (retired ones keep their rows for the aggregates that point at them). */
@ApplicationScoped
public class MeterRepository {

    private static final String COLUMNS = "id, key, description, event_meter, aggregation, value_property, group_by,"
            + " created_at, updated_at";

    /** Inserts a meter; fails with a unique violation when a live meter has the key. */
    public Uni<Meter> insert(SqlClient c, String key, String description, String eventMeter, Aggregation aggregation,
            String valueProperty, List<String> groupBy) {
        return c.preparedQuery("INSERT INTO meter (key, description, event_meter, aggregation, value_property, group_by)"
                + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
                .execute(Sql.tuple(key, description, eventMeter, aggregation.name(), valueProperty,
                        groupBy.toArray(String[]::new)))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<List<Meter>> list(SqlClient c) {
        return c.query("SELECT " + COLUMNS + " FROM meter WHERE deleted_at IS NULL ORDER BY key").execute()
                .map(rows -> Sql.list(rows, MeterRepository::map));
    }

    public Uni<Optional<Meter>> find(SqlClient c, String key, boolean forUpdate) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM meter WHERE key = $1 AND deleted_at IS NULL"
                + (forUpdate ? " FOR NO KEY UPDATE" : "")).execute(Tuple.of(key))
                .map(rows -> Sql.first(rows, MeterRepository::map));
    }

    public Uni<Meter> update(SqlClient c, long id, String description, List<String> groupBy) {
        return c.preparedQuery("UPDATE meter SET description = $2, group_by = $3, updated_at = now() WHERE id = $1"
                + " RETURNING " + COLUMNS)
                .execute(Sql.tuple(id, description, groupBy.toArray(String[]::new)))
                .map(rows -> map(rows.iterator().next()));
    }

    /** Retires the live meter with the key; false when there is none. */
    public Uni<Boolean> retire(SqlClient c, String key) {
        return c.preparedQuery("UPDATE meter SET deleted_at = now(), updated_at = now() WHERE key = $1 AND deleted_at IS NULL")
                .execute(Tuple.of(key)).map(rows -> rows.rowCount() == 1);
    }

    private static Meter map(Row r) {
        return new Meter(r.getLong("id"), r.getString("key"), r.getString("description"), r.getString("event_meter"),
                Aggregation.valueOf(r.getString("aggregation")),
                ValueProperty.parse(r.getString("value_property")).orElse(null), Sql.strings(r, "group_by"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}
