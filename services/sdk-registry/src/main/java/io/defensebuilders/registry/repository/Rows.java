package io.defensebuilders.registry.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Small helpers for building tuples and reading rows. */
final class Rows {

    private Rows() {
    }

    /** A tuple that may hold nulls; instants become timestamptz values. */
    static Tuple tuple(Object... values) {
        Object[] converted = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            converted[i] = values[i] instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : values[i];
        }
        return Tuple.from(Arrays.asList(converted));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object json) {
        return json instanceof io.vertx.core.json.JsonObject o ? o.getMap() : (Map<String, Object>) json;
    }
}
