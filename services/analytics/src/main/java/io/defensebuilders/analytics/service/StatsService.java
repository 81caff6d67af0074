package io.defensebuilders.analytics.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.analytics.StatsQuery;
import io.defensebuilders.analytics.repository.StatsRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.defensebuilders.platform.sql.DatabaseFailures;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/** Answers stats queries: validated and tenant-scoped by {@link QueryParser}, run on the rollups. */
@ApplicationScoped
public class StatsService {

    private static final Logger LOG = Logger.getLogger(StatsService.class);

    private final QueryParser parser;
    private final StatsRepository repository;

    public StatsService(QueryParser parser, StatsRepository repository) {
        this.parser = parser;
        this.repository = repository;
    }

    @WithSpan("analytics.query")
    public StatsResults.QueryResult query(Caller caller, JsonNode body) {
        StatsQuery q = parser.parse(caller, body, Instant.now());
        StatsRepository.Page page;
        try {
            page = repository.query(q);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                throw new ProblemException(ProblemType.UNPROCESSABLE,
                        "the query took too long; narrow the date_range or use a coarser time dimension");
            }
            var unavailable = DatabaseFailures.unavailable(e);
            if (unavailable.isPresent()) {
                LOG.debugf("stats query: the database cannot answer: %s", e);
                throw unavailable.get();
            }
            throw new IllegalStateException("stats query failed", e); // a bug: 500, logged with the request id
        }
        List<StatsResults.Result> results = page.rows().stream()
                .map(r -> new StatsResults.Result(r.dimensions(), r.metrics())).toList();
        StatsResults.Query understood = new StatsResults.Query(q.metrics(), List.of(q.from(), q.to()),
                q.dimensions().stream().map(StatsQuery.Dimension::name).toList(),
                q.filters().stream().map(f -> List.<Object> of(f.operator(), f.dimension().name(), f.values())).toList(),
                q.orderBy().stream().map(o -> List.of(o.key(), o.ascending() ? "asc" : "desc")).toList(),
                new StatsResults.Pagination(q.limit(), q.offset()));
        return new StatsResults.QueryResult(results,
                new StatsResults.Meta(q.tenant() == null ? QueryParser.ALL_TENANTS : q.tenant(),
                        q.granularity().field(), page.totalRows()),
                understood);
    }
}
