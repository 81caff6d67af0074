package io.defensebuilders.gateway.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.gateway.Tenant;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Tenants. */
@ApplicationScoped
public class TenantRepository {

    private static final String COLUMNS = "id, name, plan, created_by, created_at";

    public Uni<Void> insert(SqlClient tx, Tenant t) {
        return tx.preparedQuery("INSERT INTO tenant (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5)")
                .execute(Sql.tuple(t.id(), t.name(), t.plan(), t.createdBy(), t.createdAt())).replaceWithVoid();
    }

    public Uni<Optional<Tenant>> find(SqlClient c, String id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM tenant WHERE id = $1").execute(Sql.tuple(id))
                .map(rows -> Sql.first(rows, TenantRepository::map));
    }

    public Uni<List<Tenant>> all(SqlClient c) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM tenant ORDER BY id").execute().map(TenantRepository::list);
    }

    public Uni<Long> count(SqlClient c) {
        return c.preparedQuery("SELECT count(*) FROM tenant").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Boolean> update(SqlClient tx, String id, String name, String plan) {
        return tx.preparedQuery("UPDATE tenant SET name = coalesce($2, name), plan = coalesce($3, plan) WHERE id = $1")
                .execute(Sql.tuple(id, name, plan)).map(r -> r.rowCount() == 1);
    }

    private static List<Tenant> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        return Sql.list(rows, TenantRepository::map);
    }

    private static Tenant map(Row r) {
        return new Tenant(r.getString("id"), r.getString("name"), r.getString("plan"), r.getString("created_by"),
                Sql.instant(r, "created_at"));
    }
}
