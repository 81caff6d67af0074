package io.defensebuilders.registry.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Sdk;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Catalog search. A text query gathers candidates through four indexes and, where the replica has it, meaning
 * (SemanticSearch's matches, passed in as ids and cosine similarities): full text on the weighted metadata
 * ({@code search_vector}: name and title, then tags and categories, then description; the best
 * {@value #FULL_TEXT_CANDIDATES} by {@code ts_rank}), full text on READMEs ({@code readme_vector}, most downloaded
 * first), trigram word similarity ({@code search_text}, so a misspelt {@code tak servr} still finds
 * {@code tak-server}), name prefix and the meaning matches. Only those candidates are scored, which keeps a query that matches
 * much of
 * the catalog cheap; the price is that relevance results end after a few hundred hits, as in any search engine.
 * Pagination is keyset on (sort key, id), so pages stay stable and cheap however deep the client goes.
 */
@ApplicationScoped
public class SearchRepository {

    /** How results are ordered. */
    public enum Sort {
        RELEVANCE,
        DOWNLOADS,
        RECENT
    }

    /** Where the previous page ended: the last row's sort key and id. */
    public record After(BigDecimal score, long downloads, Instant updatedAt, UUID id) {
    }

    /**
     * @param meaning SDKs whose meaning is near the text's and their cosine similarity (empty: words alone)
     */
    public record Query(String text, String callerTenant, String category, String tag, String publisher, Sort sort,
            After after, int limit, List<Meaning> meaning) {
    }

    /** A meaning match: an SDK and its embedding's cosine similarity to the query's. */
    public record Meaning(UUID id, double similarity) {
    }

    /** How much a meaning match of similarity 1 adds to the score: below a word match's floor (0.5). */
    static final double MEANING_WEIGHT = 0.4;

    public record Hit(Sdk sdk, BigDecimal score) {
    }

    /** Full-text matches ranked beyond this are not candidates: relevance results are capped, like any engine's. */
    static final int FULL_TEXT_CANDIDATES = 400;
    static final int README_CANDIDATES = 200;
    static final int FUZZY_CANDIDATES = 1000;

    // %1$s: the query text parameter; %2$s: the visibility and filter conditions on alias s; %3$s / %4$s: the meaning
    // matches' ids and similarities (arrays, empty for words alone)
    private static final String CANDIDATES = "WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('english', %1$s) AS ts),"
            + " meaning AS MATERIALIZED (SELECT * FROM unnest(%3$s::uuid[], %4$s::float8[]) AS m(id, similarity)),"
            + " candidates AS ("
            + " (SELECT s.id FROM sdk s, q WHERE s.search_vector @@ q.ts AND %2$s"
            + "  ORDER BY ts_rank(s.search_vector, q.ts, 32) DESC, s.id LIMIT " + FULL_TEXT_CANDIDATES + ")"
            + " UNION (SELECT s.id FROM sdk s, q WHERE s.readme_vector @@ q.ts AND %2$s"
            + "  ORDER BY s.downloads DESC, s.id LIMIT " + README_CANDIDATES + ")"
            + " UNION (SELECT s.id FROM sdk s WHERE %1$s <%% s.search_text AND %2$s ORDER BY s.id LIMIT "
            + FUZZY_CANDIDATES + ")"
            + " UNION (SELECT s.id FROM sdk s WHERE s.name LIKE regexp_replace(lower(%1$s), '[^a-z0-9-]+', '-', 'g') || '%%'"
            + "  AND %2$s ORDER BY s.id LIMIT " + FULL_TEXT_CANDIDATES + ")"
            + " UNION (SELECT s.id FROM sdk s JOIN meaning ON meaning.id = s.id WHERE %2$s))";
    // Tiers: a metadata match (0.5 + rank) above a trigram match (at most 0.5) above a README mention; meaning (up to
    // MEANING_WEIGHT, so a meaning match alone ranks below word matches of the name, title, tags or description and
    // reorders those by what they mean), the exact name and popularity add on top. A function of the row alone, so keyset pagination on it is stable, and each
    // tier is computed only when the one before does not apply (trigram similarity is the expensive one).
    private static final String SCORE = "round(("
            + "CASE WHEN s.search_vector @@ q.ts THEN 0.5 + ts_rank(s.search_vector, q.ts, 32)"
            + " WHEN %1$s <%% s.search_text THEN 0.5 * word_similarity(%1$s, s.search_text)"
            + " WHEN s.readme_vector @@ q.ts THEN 0.02 ELSE 0 END"
            + " + " + MEANING_WEIGHT + " * coalesce(meaning.similarity, 0)"
            + " + CASE WHEN s.name = lower(%1$s) THEN 1 ELSE 0 END"
            + " + 0.05 * ln(1 + s.downloads))::numeric, 9)";

    /** One page of {@code limit} hits at most (callers ask for one more to learn whether a next page exists). */
    public Uni<List<Hit>> search(SqlClient c, Query q) {
        List<Object> params = new ArrayList<>();
        params.add(q.callerTenant());
        StringBuilder filters = new StringBuilder("(s.visibility = 'public' OR s.tenant = $1)");
        if (q.category() != null) {
            params.add(q.category());
            filters.append(" AND $").append(params.size()).append(" = ANY(s.categories)");
        }
        if (q.tag() != null) {
            params.add(q.tag());
            filters.append(" AND $").append(params.size()).append(" = ANY(s.tags)");
        }
        if (q.publisher() != null) {
            params.add(q.publisher());
            filters.append(" AND s.publisher_id = (SELECT id FROM publisher WHERE name = $").append(params.size())
                    .append(")");
        }
        String columns = SdkRowRepository.SELECT.substring("SELECT ".length());
        String with = "";
        String inner;
        if (q.text() != null) {
            params.add(q.text());
            String text = "$" + params.size();
            params.add(q.meaning().stream().map(Meaning::id).toArray(UUID[]::new));
            params.add(q.meaning().stream().map(Meaning::similarity).toArray(Double[]::new));
            with = CANDIDATES.formatted(text, filters, "$" + (params.size() - 1), "$" + params.size()) + " ";
            inner = "SELECT " + SCORE.formatted(text) + " AS score, "
                    + columns.replace(" FROM sdk s ", " FROM candidates JOIN sdk s ON s.id = candidates.id ")
                    + " CROSS JOIN q LEFT JOIN meaning ON meaning.id = s.id";
        } else {
            inner = "SELECT 0::numeric AS score, " + columns + " WHERE " + filters;
        }
        StringBuilder sql = new StringBuilder(with).append("SELECT * FROM (").append(inner).append(") x");
        String order;
        switch (q.sort()) {
            case RELEVANCE -> {
                order = " ORDER BY score DESC, id";
                if (q.after() != null) {
                    keyset(sql, params, "score", q.after().score(), q.after().id());
                }
            }
            case DOWNLOADS -> {
                order = " ORDER BY downloads DESC, id";
                if (q.after() != null) {
                    keyset(sql, params, "downloads", q.after().downloads(), q.after().id());
                }
            }
            default -> {
                order = " ORDER BY updated_at DESC, id";
                if (q.after() != null) {
                    keyset(sql, params, "updated_at", q.after().updatedAt(), q.after().id());
                }
            }
        }
        params.add(q.limit());
        sql.append(order).append(" LIMIT $").append(params.size());
        return c.preparedQuery(sql.toString()).execute(Sql.tuple(params.toArray()))
                .map(rows -> {
                    List<Hit> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Hit(SdkRowRepository.map(r), r.getBigDecimal("score")));
                    }
                    return out;
                });
    }

    /** Rows strictly after (key, id) in (key DESC, id ASC) order. */
    private static void keyset(StringBuilder sql, List<Object> params, String column, Object key, UUID id) {
        params.add(key);
        params.add(id);
        int k = params.size() - 1;
        sql.append(" WHERE (").append(column).append(" < $").append(k).append(" OR (").append(column).append(" = $")
                .append(k).append(" AND id > $").append(k + 1).append("))");
    }
}
