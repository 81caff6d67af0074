package io.defensebuilders.registry.service;

import io.vertx.pgclient.PgException;

/** Recognises the database telling us that a concurrent writer won. */
final class Conflicts {

    private Conflicts() {
    }

    /** SQLSTATE 23505, unique violation. */
    static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
