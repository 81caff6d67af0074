package io.defensebuilders.orbital.elements;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One OMM as keyword → value, whatever notation it came in, remembering where each keyword was so errors can name
 * the line (KVN, XML) or the array index (JSON). User-defined parameters are stored under their own name
 * ({@code USER_DEFINED_OBJECT_TYPE} / {@code <USER_DEFINED parameter="OBJECT_TYPE">} → {@code OBJECT_TYPE}).
 */
final class OmmRecord {

    /** A keyword's value and where it was. */
    record Value(String text, String where) {
    }

    private final String where;
    private final boolean json;
    private final Map<String, Value> values = new LinkedHashMap<>();

    /** {@code where}: {@code line 12} for text notations, {@code [3]} for the fourth object of a JSON array. */
    OmmRecord(String where, boolean json) {
        this.where = where;
        this.json = json;
    }

    /** Adds a keyword; false when the OMM already has it. */
    boolean put(String keyword, String text, String at) {
        return values.putIfAbsent(keyword, new Value(text, at)) == null;
    }

    /** The keyword's value, trimmed; null when absent or empty. */
    String get(String keyword) {
        Value v = values.get(keyword);
        return v == null || v.text() == null || v.text().isBlank() ? null : v.text().trim();
    }

    /** Where to point an error about {@code keyword}: its own line, or the OMM's start when it is missing. */
    String locate(String keyword) {
        if (json) {
            return where + "." + keyword;
        }
        Value v = values.get(keyword);
        return (v == null ? where : v.where()) + ": " + keyword;
    }

    /** Every keyword with its raw value, in input order. */
    Map<String, Value> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    String where() {
        return where;
    }
}
