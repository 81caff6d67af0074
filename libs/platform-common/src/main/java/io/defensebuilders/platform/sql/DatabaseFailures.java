package io.defensebuilders.platform.sql;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Which failures mean "the database cannot answer now" (a 503 with Retry-After, {@link DatabaseUnavailableException})
 * rather than a fault of the call or of the code: no answer in time, a connection refused, reset or closed, and the
 * database's own "cannot answer now" states. One list for both clients: the reactive pool ({@link BoundedSql}) and
 * JDBC (Agroal and pgjdbc, where analytics' queries and the ingest loops run).
 */
public final class DatabaseFailures {

    private static final int MAX_CAUSES = 16;

    private DatabaseFailures() {
    }

    /**
     * The database-cannot-answer failure that {@code e} is or wraps (Hibernate Reactive, Mutiny and JDBC callers wrap
     * the client's failure in their own), as a {@link DatabaseUnavailableException}; empty when it is something else.
     * Only what the database clients say counts here: a bare {@link IOException} in the chain may be a file's or a
     * client's, while the database's own come as a {@link DatabaseUnavailableException} (the reactive pool translates
     * them) or as an {@link SQLException} of class 08 (pgjdbc).
     */
    public static Optional<DatabaseUnavailableException> unavailable(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t instanceof DatabaseUnavailableException unavailable) {
                return Optional.of(unavailable);
            }
            DatabaseUnavailableException said = databaseSays(t);
            if (said != null) {
                return Optional.of(said);
            }
        }
        return Optional.empty();
    }

    /**
     * A failure of the reactive client itself as a {@link DatabaseUnavailableException} when it means the database
     * cannot answer, else {@code e} unchanged.
     */
    static Throwable translate(Throwable e) {
        if (e instanceof DatabaseUnavailableException) {
            return e;
        }
        // refused, reset ("Connection reset by peer" from the epoll transport), closed mid-call, or no answer in time
        if (e instanceof ConnectException || e instanceof ClosedConnectionException || e instanceof TimeoutException
                || e instanceof IOException) {
            return new DatabaseUnavailableException("the database cannot be reached; try again shortly");
        }
        if (closedUnderTheCall(e)) {
            return new DatabaseUnavailableException("the database connection closed; try again shortly");
        }
        if (e instanceof io.vertx.core.VertxException && String.valueOf(e.getMessage()).startsWith("Timeout")) {
            return new DatabaseUnavailableException("no database connection came free in time; try again shortly");
        }
        DatabaseUnavailableException said = databaseSays(e);
        return said != null ? said : e;
    }

    /**
     * The reactive client's word that the connection a statement was given to closed under it (the database died or
     * restarted between the connection leaving the pool and the statement being written). It says so only in a
     * message, on a bare throwable without a type of its own.
     */
    private static boolean closedUnderTheCall(Throwable e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("Connection is not active now") || message.startsWith("Pending requests failed to be sent");
    }

    /** The database's (or the JDBC pool's) own word that it cannot answer now, or null. */
    private static DatabaseUnavailableException databaseSays(Throwable e) {
        if (e instanceof PgException pg && unavailableState(pg.getSqlState())) {
            return new DatabaseUnavailableException("the database did not answer in time; try again shortly");
        }
        if (e instanceof SQLException sql) {
            if (unavailableState(sql.getSQLState()) || String.valueOf(sql.getSQLState()).startsWith("08")) {
                // class 08: connection exceptions; pgjdbc reports a socket that timed out or broke as 08006
                return new DatabaseUnavailableException("the database cannot be reached; try again shortly");
            }
            if (sql.getSQLState() == null
                    && String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                // Agroal: no connection came free within quarkus.datasource.jdbc.acquisition-timeout
                return new DatabaseUnavailableException("no database connection came free in time; try again shortly");
            }
        }
        return null;
    }

    /** 57014: statement_timeout; 57P01-57P03: shutting down or starting up; 53300: out of connections. */
    private static boolean unavailableState(String state) {
        return state != null && ("57014".equals(state) || state.startsWith("57P") || "53300".equals(state));
    }
}
