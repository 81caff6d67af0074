package io.defensebuilders.aitools.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.Integration;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Integrations and their sealed secrets. */
@ApplicationScoped
public class IntegrationRepository {

    /** The sealed webhook secret and the sealed GitHub token (null when none was given). */
    public record Sealed(byte[] secret, byte[] token) {
    }

    private static final String COLUMNS = "id, tenant_id, kind, target, sdk, token IS NOT NULL AS has_token, created_by,"
            + " created_at";

    public Uni<Void> insert(SqlClient c, Integration i, Sealed sealed) {
        return c.preparedQuery("INSERT INTO integration (id, tenant_id, kind, target, sdk, secret, token, created_by,"
                + " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Sql.tuple(i.id(), i.tenant(), i.kind().value(), i.target(), i.sdk(),
                        Buffer.buffer(sealed.secret()), sealed.token() == null ? null : Buffer.buffer(sealed.token()),
                        i.createdBy(), i.createdAt()))
                .replaceWithVoid();
    }

    /** The integration with {@code id}, whichever tenant's: a delivery's URL names it. */
    public Uni<Optional<Integration>> find(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM integration WHERE id = $1").execute(Sql.tuple(id))
                .map(rows -> Sql.first(rows, IntegrationRepository::integration));
    }

    public Uni<Optional<Sealed>> sealed(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT secret, token FROM integration WHERE id = $1").execute(Sql.tuple(id))
                .map(rows -> Sql.first(rows, r -> new Sealed(r.getBuffer("secret").getBytes(),
                        r.getBuffer("token") == null ? null : r.getBuffer("token").getBytes())));
    }

    /** The tenant's integrations, oldest first. */
    public Uni<List<Integration>> list(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM integration WHERE tenant_id = $1 ORDER BY created_at, id")
                .execute(Sql.tuple(tenant)).map(rows -> Sql.list(rows, IntegrationRepository::integration));
    }

    public Uni<Boolean> replaceSecret(SqlClient c, String tenant, UUID id, byte[] sealedSecret) {
        return c.preparedQuery("UPDATE integration SET secret = $3 WHERE tenant_id = $1 AND id = $2")
                .execute(Sql.tuple(tenant, id, Buffer.buffer(sealedSecret))).map(rows -> rows.rowCount() == 1);
    }

    /** Deletes the tenant's integration with its deliveries; false when it has none with {@code id}. */
    public Uni<Boolean> delete(SqlClient c, String tenant, UUID id) {
        return c.preparedQuery("DELETE FROM integration WHERE tenant_id = $1 AND id = $2").execute(Sql.tuple(tenant, id))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Integration integration(Row r) {
        return new Integration(r.getUUID("id"), r.getString("tenant_id"), Integration.Kind.of(r.getString("kind")),
                r.getString("target"), r.getString("sdk"), r.getBoolean("has_token"), r.getString("created_by"),
                Sql.instant(r, "created_at"));
    }
}
