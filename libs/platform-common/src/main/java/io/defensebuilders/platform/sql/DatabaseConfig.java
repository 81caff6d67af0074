package io.defensebuilders.platform.sql;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long a service waits for its database (every service: the pool comes from {@link BoundedPoolCreator}). */
@ConfigMapping(prefix = "dbp.db")
public interface DatabaseConfig {

    /** Longest wait for a connection from the pool. */
    @WithDefault("2s")
    Duration acquireTimeout();

    /**
     * Longest wait for a statement, commit or rollback; also the server's {@code statement_timeout}, unless the
     * datasource's additional properties set one.
     */
    @WithDefault("5s")
    Duration statementTimeout();

    /** How often a connection of its own checks that the database answers (readiness). */
    @WithDefault("1s")
    Duration probeInterval();

    /** How long that check waits for an answer before the database counts as unreachable. */
    @WithDefault("2s")
    Duration probeTimeout();
}
