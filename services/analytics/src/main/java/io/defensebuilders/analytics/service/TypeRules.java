package io.defensebuilders.analytics.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.analytics.config.AnalyticsConfig;

/**
 * The configured dimensions and value per event type ({@code dbp.analytics.types}): an exact CloudEvents type, or a
 * prefix ending in {@code *}; the exact entry wins, then the longest prefix. Validated at startup, so the rollups'
 * cardinality stays bounded: at most {@value #MAX_DIMENSIONS} dimensions per type, values cut to
 * {@value #MAX_VALUE_LENGTH} characters.
 */
@ApplicationScoped
public class TypeRules {

    public static final int MAX_DIMENSIONS = 4;
    public static final int MAX_VALUE_LENGTH = 128;
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /** What one type contributes. */
    public record Rule(List<String> dimensions, String value) {
        static final Rule NONE = new Rule(List.of(), null);
    }

    private final Map<String, Rule> exact = new TreeMap<>();
    private final List<Map.Entry<String, Rule>> prefixes = new ArrayList<>();

    public TypeRules(AnalyticsConfig config) {
        config.types().forEach((type, t) -> {
            List<String> dims = t.dimensions().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                    .distinct().sorted().toList();
            if (dims.size() > MAX_DIMENSIONS) {
                throw new IllegalArgumentException("dbp.analytics.types.\"" + type + "\".dimensions: at most "
                        + MAX_DIMENSIONS + " dimensions per type, got " + dims);
            }
            for (String d : dims) {
                if (!PATH.matcher(d).matches()) {
                    throw new IllegalArgumentException("dbp.analytics.types.\"" + type + "\".dimensions: '" + d
                            + "' is not a dot-separated path");
                }
            }
            Optional<String> value = t.value().map(String::strip).filter(s -> !s.isEmpty());
            value.ifPresent(v -> {
                if (!PATH.matcher(v).matches()) {
                    throw new IllegalArgumentException("dbp.analytics.types.\"" + type + "\".value: '" + v
                            + "' is not a dot-separated path");
                }
            });
            Rule rule = new Rule(dims, value.orElse(null));
            if (type.endsWith("*")) {
                prefixes.add(Map.entry(type.substring(0, type.length() - 1), rule));
            } else {
                exact.put(type, rule);
            }
        });
        prefixes.sort(Comparator.comparingInt((Map.Entry<String, Rule> e) -> e.getKey().length()).reversed());
    }

    public Rule rule(String type) {
        Rule r = exact.get(type);
        if (r != null) {
            return r;
        }
        for (var e : prefixes) {
            if (type.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return Rule.NONE;
    }

    /** Every dimension path some type has, for validating queries. */
    public java.util.SortedSet<String> allDimensions() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        exact.values().forEach(r -> all.addAll(r.dimensions()));
        prefixes.forEach(e -> all.addAll(e.getValue().dimensions()));
        return all;
    }

    /** The dimension values of {@code data}, path to text; absent paths and non-scalar values are left out. */
    public static Map<String, String> dimensions(Rule rule, JsonNode data) {
        Map<String, String> out = new TreeMap<>();
        for (String path : rule.dimensions()) {
            JsonNode n = at(data, path);
            if (n != null && n.isValueNode() && !n.isNull()) {
                String text = n.asText();
                out.put(path, text.length() > MAX_VALUE_LENGTH ? text.substring(0, MAX_VALUE_LENGTH) : text);
            }
        }
        return out;
    }

    /** The value of {@code data} at the rule's path as a decimal, or null when absent or not a decimal. */
    public static BigDecimal value(Rule rule, JsonNode data) {
        if (rule.value() == null) {
            return null;
        }
        JsonNode n = at(data, rule.value());
        if (n == null) {
            return null;
        }
        BigDecimal d;
        try {
            if (n.isNumber()) {
                d = n.decimalValue();
            } else if (n.isTextual() && n.asText().length() <= 100) {
                d = new BigDecimal(n.asText().strip());
            } else {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        // numeric holds far more, but a sum of such values means nothing; keep the rollups' arithmetic sane
        return d.precision() - d.scale() > 30 || d.scale() > 30 ? null : d;
    }

    static JsonNode at(JsonNode node, String path) {
        JsonNode n = node;
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }
}
