package io.defensebuilders.billing.repository;

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

/**
 * A live meter by key, read by the SQL use cases that need one: usage queries, entitlement checks (behind the
 * gateway's plan lookups) and invoice lines, the last inside their invoice's transaction (docs/adr/0001-data-access.md:
 * one transaction, one client). The catalog's own writes and reads are Panache's, in {@link MeterRepository}.
 */
@ApplicationScoped
public class MeterReads {

    public Uni<Optional<Meter>> live(SqlClient c, String key) {
        return c.preparedQuery("SELECT id, key, description, event_meter, aggregation, value_property, group_by,"
                + " created_at, updated_at FROM meter WHERE key = $1 AND deleted_at IS NULL").execute(Tuple.of(key))
                .map(rows -> Sql.first(rows, MeterReads::map));
    }

    private static Meter map(Row r) {
        return new Meter(r.getLong("id"), r.getString("key"), r.getString("description"), r.getString("event_meter"),
                Aggregation.valueOf(r.getString("aggregation")),
                ValueProperty.parse(r.getString("value_property")).orElse(null), Sql.strings(r, "group_by"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}
