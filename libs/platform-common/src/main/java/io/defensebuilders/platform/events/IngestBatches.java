package io.defensebuilders.platform.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.defensebuilders.platform.sql.JdbcTransactions;

/**
 * A consumer's batch of events written in one database transaction, and what happens when the database refuses it
 * for its data: each event is written again in a transaction of its own and those refused are rejected with the
 * database's reason, so one bad event never holds a consumer up. Any other failure is thrown, and the consumer
 * retries the whole batch.
 */
public final class IngestBatches {

    private static final Logger LOG = Logger.getLogger(IngestBatches.class);

    private IngestBatches() {
    }

    /** An event at a position of the polled batch. */
    public record Positioned<E>(int position, E event) {
    }

    /** A refused event: its position in the polled batch and why. */
    public record Rejected(int position, String reason) {
    }

    /** What a batch did; outcomes of parts of a batch add up. */
    public interface Outcome<O extends Outcome<O>> {
        /** This outcome and {@code other} together. */
        O plus(O other);

        /** This outcome with one more rejected event. */
        O withRejected(Rejected rejected);
    }

    /** Writes events in the given transaction (which the caller commits). */
    @FunctionalInterface
    public interface Writer<E, O> {
        O write(Connection c, List<Positioned<E>> events) throws SQLException;
    }

    /**
     * Writes the events in one transaction or, should the database refuse that for its data, one transaction an event.
     *
     * @param none the outcome of nothing, which the events' outcomes are added to
     * @param what what the events are, for the log ("usage events")
     */
    public static <E, O extends Outcome<O>> O write(DataSource dataSource, List<Positioned<E>> events, O none,
            String what, Writer<E, O> writer) throws SQLException {
        try {
            return JdbcTransactions.inTransaction(dataSource, c -> writer.write(c, events));
        } catch (SQLException e) {
            if (!JdbcTransactions.refusesData(e)) {
                throw e;
            }
            LOG.warnf("the database refused a batch of %d %s (%s: %s); writing them one by one", events.size(), what,
                    e.getSQLState(), e.getMessage());
        }
        O outcome = none;
        for (Positioned<E> p : events) {
            try {
                outcome = outcome.plus(JdbcTransactions.inTransaction(dataSource, c -> writer.write(c, List.of(p))));
            } catch (SQLException e) {
                if (!JdbcTransactions.refusesData(e)) {
                    throw e;
                }
                outcome = outcome.withRejected(new Rejected(p.position(), "the database refused the event: " + e.getMessage()));
            }
        }
        return outcome;
    }
}
