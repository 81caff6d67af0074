package io.defensebuilders.platform.sql;

import java.util.List;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;

/**
 * Creates every service's PostgreSQL pool (Quarkus asks this bean instead of building its own): the pool Quarkus
 * configured, with every wait bounded ({@link BoundedSql}), and the same bound as the server's
 * {@code statement_timeout}. Failed waits are counted in {@code dbp.db.unavailable}.
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    private final DatabaseConfig config;
    private final Counter unavailable;
    private volatile List<PgConnectOptions> connectOptions = List.of();

    public BoundedPoolCreator(DatabaseConfig config, MeterRegistry meters) {
        this.config = config;
        this.unavailable = Counter.builder("dbp.db.unavailable")
                .description("database calls answered 503: no answer in time, or no connection").register(meters);
    }

    @Override
    public Pool create(Input input) {
        long statementMillis = config.statementTimeout().toMillis();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.getProperties().putIfAbsent("statement_timeout", Long.toString(statementMillis));
        }
        connectOptions = List.copyOf(input.pgConnectOptionsList());
        // not the pool's own connectionTimeout: in Vert.x 4.5 its timer fails, uncaught, calls that already ended
        @SuppressWarnings("deprecation")
        Pool pool = PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
        return BoundedSql.pool(pool, input.vertx(), config.acquireTimeout().toMillis(), statementMillis,
                e -> unavailable.increment());
    }

    /** Where the pool connects: the first of these is what {@link DatabaseProbe} checks. */
    List<PgConnectOptions> connectOptions() {
        return connectOptions;
    }
}
