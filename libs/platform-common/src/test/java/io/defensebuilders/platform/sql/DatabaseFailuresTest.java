package io.defensebuilders.platform.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;

class DatabaseFailuresTest {

    @Test
    void whatTheReactiveClientReportsWhenTheDatabaseGoesAwayIsUnavailable() {
        // the epoll transport's "Connection reset by peer" is an IOException, the NIO one a SocketException
        assertInstanceOf(DatabaseUnavailableException.class, DatabaseFailures.translate(new IOException("reset by peer")));
        assertInstanceOf(DatabaseUnavailableException.class,
                DatabaseFailures.translate(new SocketException("Connection reset")));
        assertInstanceOf(DatabaseUnavailableException.class,
                DatabaseFailures.translate(new PgException("terminating connection", "FATAL", "57P01", null)));
        // a connection that closed after it left the pool (PostgreSQL killed): what Vert.x 4.5's SocketConnectionBase
        // fails the statement with (seen as a 500 on orbital's upload in tests/chaos postgres-killed)
        assertInstanceOf(DatabaseUnavailableException.class, DatabaseFailures.translate(
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")));
        assertInstanceOf(DatabaseUnavailableException.class, DatabaseFailures.translate(new NoStackTraceThrowable(
                "Pending requests failed to be sent due to connection has been closed.")));
        PgException duplicate = new PgException("duplicate key", "ERROR", "23505", null);
        assertSame(duplicate, DatabaseFailures.translate(duplicate), "a fault of the call stays what it is");
    }

    @Test
    void wrappedDatabaseFailuresAreFoundButAFilesIoErrorIsNotTheDatabase() {
        assertTrue(DatabaseFailures.unavailable(new CompletionException(
                new DatabaseUnavailableException("away"))).isPresent());
        assertTrue(DatabaseFailures.unavailable(new RuntimeException("hibernate",
                new PgException("shutting down", "FATAL", "57P03", null))).isPresent());
        assertTrue(DatabaseFailures.unavailable(new SQLException("An I/O error occurred", "08006",
                new java.net.SocketTimeoutException("Read timed out"))).isPresent(), "pgjdbc's broken socket");
        assertTrue(DatabaseFailures.unavailable(new SQLException("Sorry, acquisition timeout!")).isPresent(), "Agroal");
        assertFalse(DatabaseFailures.unavailable(new RuntimeException(new IOException("disk full"))).isPresent(),
                "an I/O error that no database client reported");
        assertFalse(DatabaseFailures.unavailable(new SQLException("syntax error", "42601")).isPresent());
    }
}
