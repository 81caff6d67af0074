package io.defensebuilders.aitools.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.service.Passages;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Passages of the platform's docs and SDK READMEs, and their full-text search. */
@ApplicationScoped
public class PassageRepository {

    /** Where passages come from: their scope and visibility, and for a README its SDK and version. */
    public record Origin(String scope, boolean isPublic, String sdk, String version, String source) {
    }

    /** A passage found: where it is and a highlighted excerpt. */
    public record Hit(long id, String source, String heading, String anchor, String sdk, String version, String excerpt,
            String body) {
    }

    /** Replaces every passage of {@code source} (a doc file, or an SDK's README whatever its version) with these. */
    public Uni<Void> replace(SqlClient tx, Origin origin, List<Passages.Passage> passages) {
        Uni<?> delete = origin.sdk() != null
                ? tx.preparedQuery("DELETE FROM doc_passage WHERE sdk = $1").execute(Tuple.of(origin.sdk()))
                : tx.preparedQuery("DELETE FROM doc_passage WHERE source = $1 AND sdk IS NULL")
                        .execute(Tuple.of(origin.source()));
        if (passages.isEmpty()) {
            return delete.replaceWithVoid();
        }
        List<Tuple> rows = passages.stream().map(p -> Sql.tuple(origin.scope(), origin.isPublic(), origin.sdk(),
                origin.version(), origin.source(), p.heading(), p.anchor(), p.body())).toList();
        return delete.chain(() -> tx.preparedQuery("INSERT INTO doc_passage (scope, public, sdk, version, source, heading,"
                + " anchor, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)").executeBatch(rows)).replaceWithVoid();
    }

    /** Deletes the platform docs' passages whose source is not in {@code sources} (a file removed from the docs). */
    public Uni<Void> keepOnly(SqlClient tx, List<String> sources) {
        return tx.preparedQuery("DELETE FROM doc_passage WHERE scope = 'platform' AND sdk IS NULL"
                + " AND NOT (source = ANY($1))").execute(Tuple.of(sources.toArray(String[]::new))).replaceWithVoid();
    }

    public Uni<Optional<String>> digest(SqlClient c, String name) {
        return c.preparedQuery("SELECT digest FROM doc_corpus WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> Sql.first(rows, r -> r.getString("digest")));
    }

    public Uni<Void> recordDigest(SqlClient tx, String name, String digest, Instant at) {
        return tx.preparedQuery("INSERT INTO doc_corpus (name, digest, indexed_at) VALUES ($1, $2, $3)"
                + " ON CONFLICT (name) DO UPDATE SET digest = excluded.digest, indexed_at = excluded.indexed_at")
                .execute(Sql.tuple(name, digest, at)).replaceWithVoid();
    }

    /** A passage matching a question's words, with PostgreSQL's rank. */
    public record Ranked(long id, double rank) {
    }

    /**
     * The best {@code limit} passages {@code tenant} may see for {@code query} (a tsquery of OR-ed words), ranked by
     * PostgreSQL's cover density over headings (weight A) and bodies (B).
     */
    public Uni<List<Ranked>> search(SqlClient c, String query, String tenant, int limit) {
        return c.preparedQuery("SELECT id, ts_rank_cd(tsv, q, 1) AS rank FROM doc_passage, to_tsquery('english', $1) q"
                + " WHERE tsv @@ q AND (public OR scope = $2) ORDER BY rank DESC, id LIMIT $3")
                .execute(Sql.tuple(query, tenant, limit))
                .map(rows -> Sql.list(rows, r -> new Ranked(r.getLong("id"), r.getDouble("rank"))));
    }

    /**
     * The passages {@code ids} that {@code tenant} may see (again: the ids may come from an index a moment behind),
     * each with an excerpt highlighting {@code query}'s words (its opening words when none occur), in no order.
     */
    public Uni<List<Hit>> cite(SqlClient c, List<Long> ids, String query, String tenant) {
        return c.preparedQuery("SELECT id, source, heading, anchor, sdk, version, body, ts_headline('english', body, q,"
                + " 'MaxWords=45, MinWords=20, MaxFragments=2, FragmentDelimiter=\" … \"') AS excerpt"
                + " FROM doc_passage, to_tsquery('english', $1) q WHERE id = ANY($2) AND (public OR scope = $3)")
                .execute(Sql.tuple(query, ids.toArray(Long[]::new), tenant))
                .map(rows -> Sql.list(rows, r -> new Hit(r.getLong("id"), r.getString("source"), r.getString("heading"),
                        r.getString("anchor"), r.getString("sdk"), r.getString("version"), r.getString("excerpt"),
                        r.getString("body"))));
    }

    /** How many passages {@code tenant} may search. */
    public Uni<Long> count(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT count(*) AS n FROM doc_passage WHERE public OR scope = $1")
                .execute(Tuple.of(tenant)).map(rows -> rows.iterator().next().getLong("n"));
    }
}
