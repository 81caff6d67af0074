package io.defensebuilders.registry.service;

import java.sql.SQLException;

import io.defensebuilders.platform.sql.Sql;

/** Whether a failed write was a unique constraint saying no, whichever client made it. */
final class UniqueViolations {

    private UniqueViolations() {
    }

    /**
     * SQLSTATE 23505 anywhere in the cause chain: the reactive client fails with the PostgreSQL error itself,
     * Hibernate Reactive wraps it (a ConstraintViolationException around an SQLException around it).
     */
    static boolean test(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (Sql.isUniqueViolation(t) || t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
