package io.defensebuilders.gateway.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.Member;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Who belongs to which tenant, with which role. */
@ApplicationScoped
public class MemberRepository {

    private static final String COLUMNS = "tenant_id, subject, role, added_by, added_at";

    /** Adds the member or changes their role. */
    public Uni<Void> put(SqlClient tx, Member m) {
        return tx.preparedQuery("INSERT INTO member (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5)"
                + " ON CONFLICT (tenant_id, subject) DO UPDATE SET role = $3, added_by = $4, added_at = $5")
                .execute(Sql.tuple(m.tenantId(), m.subject(), m.role().claimValue(), m.addedBy(), m.addedAt()))
                .replaceWithVoid();
    }

    public Uni<Boolean> delete(SqlClient tx, String tenantId, String subject) {
        return tx.preparedQuery("DELETE FROM member WHERE tenant_id = $1 AND subject = $2")
                .execute(Sql.tuple(tenantId, subject)).map(r -> r.rowCount() == 1);
    }

    public Uni<List<Member>> ofTenant(SqlClient c, String tenantId) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM member WHERE tenant_id = $1 ORDER BY subject")
                .execute(Sql.tuple(tenantId)).map(MemberRepository::list);
    }

    /** Every tenant a subject belongs to. */
    public Uni<List<Member>> ofSubject(SqlClient c, String subject) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM member WHERE subject = $1 ORDER BY tenant_id")
                .execute(Sql.tuple(subject)).map(MemberRepository::list);
    }

    private static List<Member> list(RowSet<Row> rows) {
        return Sql.list(rows, r -> new Member(r.getString("tenant_id"), r.getString("subject"),
                Role.fromClaim(r.getString("role")).orElseThrow(), r.getString("added_by"), Sql.instant(r, "added_at")));
    }
}
