package io.defensebuilders.platform.sql;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Plain JDBC transactions, for the code that runs on a thread of its own rather than the event loop (the Kafka batch
 * consumers): one connection, one commit, a rollback that never hides the failure that caused it.
 */
public final class JdbcTransactions {

    private JdbcTransactions() {
    }

    /** Work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        }
    }

    /**
     * Whether the database refused the statement for its data: data exceptions, integrity violations and program
     * limits (SQLSTATE classes 22, 23, 54, e.g. a NUL character in a string, an index row too large). Retrying the
     * same data cannot help, unlike a lost connection or a deadlock.
     */
    public static boolean refusesData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }
}
