package io.defensebuilders.platform.sql;

import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;

/**
 * The database did not answer in time, or could not be reached: a 503 problem+json with {@code Retry-After}
 * (UNAVAILABLE over gRPC). The statement it was waiting for may still run when the database comes back, as after any
 * lost answer; inside a transaction it is rolled back.
 */
public final class DatabaseUnavailableException extends ProblemException {

    /** Seconds a client is asked to wait before trying again. */
    static final int RETRY_AFTER_SECONDS = 2;

    public DatabaseUnavailableException(String detail) {
        super(ProblemType.UNAVAILABLE, detail);
        with(Problem.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS);
    }
}
