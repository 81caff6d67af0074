package io.defensebuilders.registry.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.registry.Sdk;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Catalog search: PostgreSQL full text (weighted: name and title, then tags and categories, then description,
 * then README) or trigram word similarity, so a misspelt {@code tak servr} still finds {@code tak-server}. Keyset
 * pagination on (sort key, id), so pages stay stable and cheap however deep the client goes.
 */
@ApplicationScoped
public class SearchRepository {

    /** How results are ordered. */
    public enum Sort {
        RELEVANCE, DOWNLOADS, RECENT
    }

    /** Where the previous page ended: the last row's sort key and id. */
    public record After(BigDecimal score, long downloads, Instant updatedAt, UUID id) {
    }

    public record Query(String text, String callerTenant, String category, String tag, String publisher, Sort sort,
            After after, int limit) {
    }

    public record Hit(Sdk sdk, BigDecimal score) {
    }

    // %1$s is the query text's parameter
    private static final String SCORE = "round((ts_rank_cd(s.search_vector, websearch_to_tsquery('english', %1$s), 32)"
            + " + word_similarity(%1$s, s.search_text)"
            + " + CASE WHEN s.name = lower(%1$s) THEN 1 ELSE 0 END"
            + " + 0.05 * ln(1 + s.downloads))::numeric, 9)";
    private static final String MATCH = " AND (s.search_vector @@ websearch_to_tsquery('english', %1$s)"
            + " OR %1$s <%% s.search_text"
            + " OR s.name LIKE replace(replace(replace(lower(%1$s), '\\', ''), '%%', ''), '_', '') || '%%')";

    /** One page of {@code limit} hits at most (callers ask for one more to learn whether a next page exists). */
    public Uni<List<Hit>> search(SqlClient c, Query q) {
        List<Object> params = new ArrayList<>();
        params.add(q.callerTenant());
        StringBuilder where = new StringBuilder(" WHERE (s.visibility = 'public' OR s.tenant = $1)");
        String score = "0::numeric";
        if (q.text() != null) {
            params.add(q.text());
            String text = "$" + params.size();
            where.append(MATCH.formatted(text));
            score = SCORE.formatted(text);
        }
        if (q.category() != null) {
            params.add(q.category());
            where.append(" AND $").append(params.size()).append(" = ANY(s.categories)");
        }
        if (q.tag() != null) {
            params.add(q.tag());
            where.append(" AND $").append(params.size()).append(" = ANY(s.tags)");
        }
        if (q.publisher() != null) {
            params.add(q.publisher());
            where.append(" AND p.name = $").append(params.size());
        }
        String inner = "SELECT " + score + " AS score, " + SdkRepository.SELECT.substring("SELECT ".length()) + where;
        StringBuilder sql = new StringBuilder("SELECT * FROM (").append(inner).append(") x");
        String order;
        switch (q.sort()) {
            case RELEVANCE -> {
                order = " ORDER BY score DESC, id";
                if (q.after() != null) {
                    params.add(q.after().score());
                    params.add(q.after().id());
                    int s = params.size() - 1;
                    sql.append(" WHERE (score < $").append(s).append(" OR (score = $").append(s)
                            .append(" AND id > $").append(s + 1).append("))");
                }
            }
            case DOWNLOADS -> {
                order = " ORDER BY downloads DESC, id";
                if (q.after() != null) {
                    params.add(q.after().downloads());
                    params.add(q.after().id());
                    int s = params.size() - 1;
                    sql.append(" WHERE (downloads < $").append(s).append(" OR (downloads = $").append(s)
                            .append(" AND id > $").append(s + 1).append("))");
                }
            }
            default -> {
                order = " ORDER BY updated_at DESC, id";
                if (q.after() != null) {
                    params.add(q.after().updatedAt());
                    params.add(q.after().id());
                    int s = params.size() - 1;
                    sql.append(" WHERE (updated_at < $").append(s).append(" OR (updated_at = $").append(s)
                            .append(" AND id > $").append(s + 1).append("))");
                }
            }
        }
        params.add(q.limit());
        sql.append(order).append(" LIMIT $").append(params.size());
        return c.preparedQuery(sql.toString()).execute(Rows.tuple(params.toArray()))
                .map(rows -> {
                    List<Hit> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Hit(SdkRepository.map(r), r.getBigDecimal("score")));
                    }
                    return out;
                });
    }
}
