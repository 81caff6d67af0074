package io.defensebuilders.registry.repository;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Dist-tags other than {@code latest} (which is derived, see SdkRowRepository#setLatest). */
@ApplicationScoped
public class DistTagRepository {

    /** tag → version text. */
    public Uni<Map<String, String>> findAll(SqlClient c, UUID sdkId) {
        return c.preparedQuery("SELECT t.tag, v.version FROM dist_tag t JOIN sdk_version v ON v.id = t.version_id"
                + " WHERE t.sdk_id = $1").execute(Sql.tuple(sdkId))
                .map(rows -> {
                    Map<String, String> out = new TreeMap<>();
                    rows.forEach(r -> out.put(r.getString("tag"), r.getString("version")));
                    return out;
                });
    }

    public Uni<Void> put(SqlClient tx, UUID sdkId, String tag, UUID versionId, String by) {
        return tx.preparedQuery("INSERT INTO dist_tag (sdk_id, tag, version_id, updated_by) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (sdk_id, tag) DO UPDATE SET version_id = $3, updated_by = $4, updated_at = now()")
                .execute(Sql.tuple(sdkId, tag, versionId, by)).replaceWithVoid();
    }

    /** True when the tag existed. */
    public Uni<Boolean> delete(SqlClient tx, UUID sdkId, String tag) {
        return tx.preparedQuery("DELETE FROM dist_tag WHERE sdk_id = $1 AND tag = $2").execute(Sql.tuple(sdkId, tag))
                .map(r -> r.rowCount() == 1);
    }
}
