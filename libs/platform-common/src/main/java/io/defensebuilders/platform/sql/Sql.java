package io.defensebuilders.platform.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** Small helpers for the reactive PostgreSQL client: tuples that may hold nulls, row readers, error codes. */
public final class Sql {

    private Sql() {
    }

    /** A tuple that may hold nulls; instants become timestamptz values. */
    public static Tuple tuple(Object... values) {
        Object[] converted = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            converted[i] = values[i] instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : values[i];
        }
        return Tuple.from(Arrays.asList(converted));
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    public static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }

    /** SQLSTATE 23505: a unique constraint said no, i.e. a concurrent writer got there first. */
    public static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
