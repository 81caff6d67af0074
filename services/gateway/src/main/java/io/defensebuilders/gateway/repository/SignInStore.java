package io.defensebuilders.gateway.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.gateway.SignIn;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Who signed in through an identity provider, per tenant. Explicit SQL (docs/adr/0001-data-access.md): the record is
 * an upsert that merges what replicas write in any order (first sign-in the earliest, last the latest, roles those of
 * the latest token), written beside calls without a Hibernate session; the admins' list reads the same rows.
 */
@ApplicationScoped
public class SignInStore {

    public Uni<Void> record(SqlClient c, SignIn s) {
        return c.preparedQuery("INSERT INTO sign_in (tenant_id, subject, idp, name, email, roles, first_at, last_at,"
                + " last_token_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)"
                + " ON CONFLICT (tenant_id, subject) DO UPDATE SET"
                + " idp = CASE WHEN EXCLUDED.last_token_at >= sign_in.last_token_at THEN EXCLUDED.idp ELSE sign_in.idp END,"
                + " name = CASE WHEN EXCLUDED.last_token_at >= sign_in.last_token_at THEN EXCLUDED.name ELSE sign_in.name END,"
                + " email = CASE WHEN EXCLUDED.last_token_at >= sign_in.last_token_at THEN EXCLUDED.email ELSE sign_in.email END,"
                + " roles = CASE WHEN EXCLUDED.last_token_at >= sign_in.last_token_at THEN EXCLUDED.roles ELSE sign_in.roles END,"
                + " first_at = LEAST(sign_in.first_at, EXCLUDED.first_at),"
                + " last_at = GREATEST(sign_in.last_at, EXCLUDED.last_at),"
                + " last_token_at = GREATEST(sign_in.last_token_at, EXCLUDED.last_token_at)")
                .execute(Sql.tuple(s.tenant(), s.subject(), s.idp(), s.name(), s.email(),
                        s.roles().toArray(String[]::new), s.firstAt(), s.lastTokenAt()))
                .replaceWithVoid();
    }

    /** The tenant's signed-in people, the most recent sign-in first. */
    public Uni<List<SignIn>> ofTenant(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT tenant_id, subject, idp, name, email, roles, first_at, last_at, last_token_at"
                + " FROM sign_in WHERE tenant_id = $1 ORDER BY last_at DESC, subject").execute(Sql.tuple(tenant))
                .map(rows -> Sql.list(rows, r -> new SignIn(r.getString("tenant_id"), r.getString("subject"),
                        r.getString("idp"), r.getString("name"), r.getString("email"), Sql.strings(r, "roles"),
                        Sql.instant(r, "first_at"), Sql.instant(r, "last_at"), Sql.instant(r, "last_token_at"))));
    }
}
