package io.defensebuilders.gateway.repository;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** API keys: hashes and metadata only, never a secret. */
@ApplicationScoped
public class ApiKeyRepository {

    private static final String COLUMNS = "id, tenant_id, name, roles, secret_hash, created_by, created_at, expires_at,"
            + " revoked_at";

    public Uni<Void> insert(SqlClient tx, ApiKey k) {
        return tx.preparedQuery("INSERT INTO api_key (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Sql.tuple(k.id(), k.tenantId(), k.name(),
                        k.roles().stream().map(Role::claimValue).toArray(String[]::new), Buffer.buffer(k.secretHash()),
                        k.createdBy(), k.createdAt(), k.expiresAt(), k.revokedAt()))
                .replaceWithVoid();
    }

    public Uni<Optional<ApiKey>> find(SqlClient c, String id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE id = $1").execute(Sql.tuple(id))
                .map(rows -> Sql.first(rows, ApiKeyRepository::map));
    }

    public Uni<List<ApiKey>> ofTenant(SqlClient c, String tenantId) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE tenant_id = $1 ORDER BY created_at")
                .execute(Sql.tuple(tenantId)).map(rows -> Sql.list(rows, ApiKeyRepository::map));
    }

    /** True when this call revoked it (it existed in the tenant and was not revoked yet). */
    public Uni<Boolean> revoke(SqlClient tx, String tenantId, String id, String by, Instant at) {
        return tx.preparedQuery("UPDATE api_key SET revoked_at = $4, revoked_by = $3"
                + " WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL")
                .execute(Sql.tuple(tenantId, id, by, at)).map(r -> r.rowCount() == 1);
    }

    private static ApiKey map(Row r) {
        Set<Role> roles = new LinkedHashSet<>();
        Sql.strings(r, "roles").forEach(name -> Role.fromClaim(name).ifPresent(roles::add));
        return new ApiKey(r.getString("id"), r.getString("tenant_id"), r.getString("name"), roles,
                r.getBuffer("secret_hash").getBytes(), r.getString("created_by"), Sql.instant(r, "created_at"),
                Sql.instant(r, "expires_at"), Sql.instant(r, "revoked_at"));
    }
}
