package io.defensebuilders.platform.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** Small helpers for the reactive PostgreSQL client: tuples that may hold nulls, row mapping and readers, error codes. */
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

    /** The first row, mapped, or empty when there is none: what a lookup by key answers. */
    public static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
        RowIterator<Row> it = rows.iterator();
        return it.hasNext() ? Optional.of(map.apply(it.next())) : Optional.empty();
    }

    /** Every row, mapped, in the order the database answered. */
    public static <T> List<T> list(RowSet<Row> rows, Function<Row, T> map) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(map.apply(row));
        }
        return out;
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    public static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }

    /**
     * SQLSTATE 23505 anywhere in the cause chain: a unique constraint said no, i.e. a concurrent writer got there first.
     * The reactive client fails with the PostgreSQL error itself; Hibernate Reactive wraps it (a
     * ConstraintViolationException around an SQLException around it).
     */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())
                    || t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
