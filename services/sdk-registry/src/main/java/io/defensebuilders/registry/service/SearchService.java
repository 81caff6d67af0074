package io.defensebuilders.registry.service;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.registry.Category;
import io.defensebuilders.registry.config.RegistryConfig;
import io.defensebuilders.registry.repository.SearchRepository;
import io.defensebuilders.registry.repository.SearchRepository.After;
import io.defensebuilders.registry.repository.SearchRepository.Hit;
import io.defensebuilders.registry.repository.SearchRepository.Sort;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Validates a search, runs it and turns its last hit into an opaque cursor. A cursor is bound to its sort order, so
 * it cannot be replayed against another one.
 */
@ApplicationScoped
public class SearchService {

    /** One page of hits and the cursor of the next page (null on the last page). */
    public record Page(List<Hit> hits, String nextCursor) {
    }

    private final Pool pool;
    private final SearchRepository search;
    private final RegistryConfig config;
    private final SemanticSearch semantic;

    public SearchService(Pool pool, SearchRepository search, RegistryConfig config, SemanticSearch semantic) {
        this.pool = pool;
        this.search = search;
        this.config = config;
        this.semantic = semantic;
    }

    @WithSpan
    public Uni<Page> search(Caller caller, String text, String category, String tag, String publisher, String sort,
            String limit, String cursor) {
        String q = text == null || text.isBlank() ? null : text.trim();
        if (q != null && q.length() > 200) {
            throw ProblemException.invalid("q", "at most 200 characters");
        }
        if (category != null && Category.fromId(category).isEmpty()) {
            throw ProblemException.invalid("category", "unknown category; known: " + Category.allowed());
        }
        Sort order = sort(sort, q);
        int pageSize = limit == null || limit.isBlank() ? config.search().defaultLimit() : parseLimit(limit);
        if (pageSize < 1 || pageSize > config.search().maxLimit()) {
            throw ProblemException.invalid("limit", "must be between 1 and " + config.search().maxLimit());
        }
        After after = cursor == null || cursor.isBlank() ? null : decode(cursor, order);
        Uni<List<SearchRepository.Meaning>> meaning = q == null ? Uni.createFrom().item(List.of())
                : semantic.matches(q, caller.tenant());
        return meaning.chain(m -> search.search(pool, new SearchRepository.Query(q, caller.tenant(), category,
                blankToNull(tag), blankToNull(publisher), order, after, pageSize + 1, m))).map(hits -> {
                    if (hits.size() <= pageSize) {
                        return new Page(hits, null);
                    }
                    List<Hit> page = hits.subList(0, pageSize);
                    return new Page(List.copyOf(page), encode(order, page.getLast()));
                });
    }

    private int parseLimit(String limit) {
        try {
            return Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("limit", "must be between 1 and " + config.search().maxLimit());
        }
    }

    private static Sort sort(String sort, String q) {
        if (sort == null || sort.isBlank()) {
            return q == null ? Sort.DOWNLOADS : Sort.RELEVANCE;
        }
        try {
            Sort s = Sort.valueOf(sort.toUpperCase(Locale.ROOT));
            if (s == Sort.RELEVANCE && q == null) {
                throw ProblemException.invalid("sort", "relevance needs a query 'q'");
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("sort", "one of relevance, downloads, recent");
        }
    }

    static String encode(Sort sort, Hit last) {
        String key = switch (sort) {
            case RELEVANCE -> last.score().toPlainString();
            case DOWNLOADS -> Long.toString(last.sdk().downloads());
            case RECENT -> last.sdk().updatedAt().toString();
        };
        String raw = sort.name().charAt(0) + "|" + key + "|" + last.sdk().id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static After decode(String cursor, Sort sort) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 3 || parts[0].charAt(0) != sort.name().charAt(0)) {
                throw ProblemException.invalid("cursor", "does not belong to this sort order");
            }
            UUID id = UUID.fromString(parts[2]);
            return switch (sort) {
                case RELEVANCE -> new After(new BigDecimal(parts[1]), 0, null, id);
                case DOWNLOADS -> new After(null, Long.parseLong(parts[1]), null, id);
                case RECENT -> new After(null, 0, Instant.parse(parts[1]), id);
            };
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException | IndexOutOfBoundsException e) {
            throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
