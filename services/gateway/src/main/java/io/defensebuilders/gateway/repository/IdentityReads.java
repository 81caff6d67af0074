package io.defensebuilders.gateway.repository;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.gateway.Member;
import io.defensebuilders.gateway.Tenant;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The reads behind calls, when the caches in front of them miss: a presented API key, a signed-in subject's
 * memberships, a tenant's plan. One SQL statement each on the reactive client, without a Hibernate session
 * (docs/adr/0001-data-access.md: hot reads stay on SQL); the writes and the administration reads of the same rows are
 * Panache's ({@link TenantRepository}, {@link MemberRepository}, {@link ApiKeyRepository}).
 */
@ApplicationScoped
public class IdentityReads {

    public Uni<Optional<ApiKey>> apiKey(SqlClient c, String id) {
        return c.preparedQuery("SELECT id, tenant_id, name, roles, secret_hash, created_by, created_at, expires_at,"
                + " revoked_at FROM api_key WHERE id = $1").execute(Sql.tuple(id))
                .map(rows -> Sql.first(rows, IdentityReads::apiKey));
    }

    /** Every tenant a subject belongs to, in tenant order. */
    public Uni<List<Member>> membershipsOf(SqlClient c, String subject) {
        return c.preparedQuery("SELECT tenant_id, subject, role, added_by, added_at FROM member WHERE subject = $1"
                + " ORDER BY tenant_id").execute(Sql.tuple(subject))
                .map(rows -> Sql.list(rows, r -> new Member(r.getString("tenant_id"), r.getString("subject"),
                        Role.fromClaim(r.getString("role")).orElseThrow(), r.getString("added_by"),
                        Sql.instant(r, "added_at"))));
    }

    public Uni<Optional<Tenant>> tenant(SqlClient c, String id) {
        return c.preparedQuery("SELECT id, name, plan, created_by, created_at, idp_max_role FROM tenant WHERE id = $1")
                .execute(Sql.tuple(id))
                .map(rows -> Sql.first(rows, r -> new Tenant(r.getString("id"), r.getString("name"),
                        r.getString("plan"), r.getString("created_by"), Sql.instant(r, "created_at"),
                        r.getString("idp_max_role"))));
    }

    private static ApiKey apiKey(Row r) {
        Set<Role> roles = new LinkedHashSet<>();
        Sql.strings(r, "roles").forEach(name -> Role.fromClaim(name).ifPresent(roles::add));
        return new ApiKey(r.getString("id"), r.getString("tenant_id"), r.getString("name"), roles,
                r.getBuffer("secret_hash").getBytes(), r.getString("created_by"), Sql.instant(r, "created_at"),
                Sql.instant(r, "expires_at"), Sql.instant(r, "revoked_at"));
    }
}
