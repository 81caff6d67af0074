package io.defensebuilders.registry.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.Visibility;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The SDK row in explicit SQL on the reactive client: the lookup by name every read answers from (one statement on
 * the hot path, also callable from worker threads, where Hibernate Reactive cannot run), and what version writes do
 * to the row inside their own transaction (lock it, point {@code latest}) with the version rows and the outbox event.
 */
@ApplicationScoped
public class SdkRowRepository {

    static final String SELECT = "SELECT s.id, s.name, s.tenant, s.publisher_id, p.name AS publisher, s.title,"
            + " s.description, s.license, s.homepage, s.repository, s.tags, s.categories, s.visibility,"
            + " v.version AS latest_version, s.downloads, s.created_by, s.created_at, s.updated_at"
            + " FROM sdk s JOIN publisher p ON p.id = s.publisher_id"
            + " LEFT JOIN sdk_version v ON v.id = s.latest_version_id";

    public Uni<Optional<Sdk>> findByName(SqlClient c, String name) {
        return c.preparedQuery(SELECT + " WHERE s.name = $1").execute(Sql.tuple(name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    /** Locks the SDK row for the rest of the transaction: version changes of one SDK happen one at a time. */
    public Uni<Void> lock(SqlClient tx, UUID sdkId) {
        return tx.preparedQuery("SELECT 1 FROM sdk WHERE id = $1 FOR UPDATE").execute(Sql.tuple(sdkId)).replaceWithVoid();
    }

    /** Points {@code latest} at a version (or none) and indexes that version's README for search. */
    public Uni<Void> setLatest(SqlClient tx, UUID sdkId, UUID versionId) {
        return tx.preparedQuery("UPDATE sdk SET latest_version_id = $2, updated_at = now(),"
                + " readme = coalesce((SELECT readme FROM sdk_version WHERE id = $2), '') WHERE id = $1")
                .execute(Sql.tuple(sdkId, versionId)).replaceWithVoid();
    }

    static Sdk map(Row r) {
        return new Sdk(r.getUUID("id"), r.getString("name"), r.getString("tenant"), r.getUUID("publisher_id"),
                r.getString("publisher"), r.getString("title"), r.getString("description"), r.getString("license"),
                r.getString("homepage"), r.getString("repository"), Sql.strings(r, "tags"),
                Sql.strings(r, "categories"), Visibility.fromDb(r.getString("visibility")),
                r.getString("latest_version"), r.getLong("downloads"), r.getString("created_by"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}
