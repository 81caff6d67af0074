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

/** SDK rows, joined with their publisher's name and their latest version. */
@ApplicationScoped
public class SdkRepository {

    static final String SELECT = "SELECT s.id, s.name, s.tenant, s.publisher_id, p.name AS publisher, s.title,"
            + " s.description, s.license, s.homepage, s.repository, s.tags, s.categories, s.visibility,"
            + " v.version AS latest_version, s.downloads, s.created_by, s.created_at, s.updated_at"
            + " FROM sdk s JOIN publisher p ON p.id = s.publisher_id"
            + " LEFT JOIN sdk_version v ON v.id = s.latest_version_id";

    public Uni<Void> insert(SqlClient tx, Sdk s) {
        return tx.preparedQuery("INSERT INTO sdk (id, name, tenant, publisher_id, title, description, license, homepage,"
                + " repository, tags, categories, visibility, created_by, created_at, updated_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)")
                .execute(Sql.tuple(s.id(), s.name(), s.tenant(), s.publisherId(), s.title(), s.description(),
                        s.license(), s.homepage(), s.repository(), s.tags().toArray(String[]::new),
                        s.categories().toArray(String[]::new), s.visibility().dbValue(), s.createdBy(), s.createdAt()))
                .replaceWithVoid();
    }

    public Uni<Optional<Sdk>> findByName(SqlClient c, String name) {
        return c.preparedQuery(SELECT + " WHERE s.name = $1").execute(Sql.tuple(name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    /** Locks the SDK row for the rest of the transaction: version changes of one SDK happen one at a time. */
    public Uni<Void> lock(SqlClient tx, UUID sdkId) {
        return tx.preparedQuery("SELECT 1 FROM sdk WHERE id = $1 FOR UPDATE").execute(Sql.tuple(sdkId)).replaceWithVoid();
    }

    /** Replaces the mutable metadata. */
    public Uni<Void> updateMetadata(SqlClient tx, Sdk s) {
        return tx.preparedQuery("UPDATE sdk SET title = $2, description = $3, license = $4, homepage = $5,"
                + " repository = $6, tags = $7, categories = $8, visibility = $9, updated_at = now() WHERE id = $1")
                .execute(Sql.tuple(s.id(), s.title(), s.description(), s.license(), s.homepage(), s.repository(),
                        s.tags().toArray(String[]::new), s.categories().toArray(String[]::new), s.visibility().dbValue()))
                .replaceWithVoid();
    }

    /** Points {@code latest} at a version (or none) and indexes that version's README for search. */
    public Uni<Void> setLatest(SqlClient tx, UUID sdkId, UUID versionId) {
        return tx.preparedQuery("UPDATE sdk SET latest_version_id = $2, updated_at = now(),"
                + " readme = coalesce((SELECT readme FROM sdk_version WHERE id = $2), '') WHERE id = $1")
                .execute(Sql.tuple(sdkId, versionId)).replaceWithVoid();
    }

    public Uni<Void> touch(SqlClient tx, UUID sdkId) {
        return tx.preparedQuery("UPDATE sdk SET updated_at = now() WHERE id = $1").execute(Sql.tuple(sdkId))
                .replaceWithVoid();
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
