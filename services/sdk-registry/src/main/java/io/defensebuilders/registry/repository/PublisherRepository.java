package io.defensebuilders.registry.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Publisher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Publishers, by name and by tenant. */
@ApplicationScoped
public class PublisherRepository {

    private static final String COLUMNS = "id, tenant, name, display_name, url, created_by, created_at";

    /** Inserts; fails with a unique violation when the name is taken. */
    public Uni<Void> insert(SqlClient tx, Publisher p) {
        return tx.preparedQuery("INSERT INTO publisher (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Sql.tuple(p.id(), p.tenant(), p.name(), p.displayName(), p.url(), p.createdBy(), p.createdAt()))
                .replaceWithVoid();
    }

    public Uni<Optional<Publisher>> findByName(SqlClient c, String name) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM publisher WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    public Uni<List<Publisher>> listByTenant(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM publisher WHERE tenant = $1 ORDER BY name")
                .execute(Tuple.of(tenant))
                .map(rows -> {
                    List<Publisher> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    private static Publisher map(Row r) {
        return new Publisher(r.getUUID("id"), r.getString("tenant"), r.getString("name"), r.getString("display_name"),
                r.getString("url"), r.getString("created_by"), Sql.instant(r, "created_at"));
    }
}
