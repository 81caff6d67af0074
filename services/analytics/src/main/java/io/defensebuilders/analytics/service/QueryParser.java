package io.defensebuilders.analytics.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.analytics.Granularity;
import io.defensebuilders.analytics.StatsQuery;
import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;

/**
 * Turns a query document (in the spirit of Plausible's Stats API v2) into a {@link StatsQuery}, or a 400 that names
 * the member at fault and says what is wrong. Tenancy is settled here too: the caller's tenant, unless a platform
 * admin names another one or {@code "*"} for the whole platform.
 */
@ApplicationScoped
public class QueryParser {

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,4})([mhd])");
    private static final Set<String> MEMBERS = Set.of("metrics", "date_range", "dimensions", "filters", "order_by",
            "pagination", "tenant");
    private static final Set<String> OPERATORS = Set.of("is", "is_not", "contains");
    private static final int MAX_DIMENSIONS = 5;
    private static final int MAX_FILTERS = 10;
    private static final int MAX_FILTER_VALUES = 100;
    /** The whole platform, for platform admins. */
    public static final String ALL_TENANTS = "*";

    private final TypeRules rules;
    private final int maxLimit;
    private final int maxMinuteBuckets;

    public QueryParser(TypeRules rules, AnalyticsConfig config) {
        this.rules = rules;
        this.maxLimit = config.query().maxLimit();
        this.maxMinuteBuckets = config.query().maxMinuteBuckets();
    }

    public StatsQuery parse(Caller caller, JsonNode q, Instant now) {
        if (q == null || !q.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object with at least metrics and date_range");
        }
        for (Iterator<String> it = q.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw ProblemException.invalid(name, "unknown member; expected one of " + new java.util.TreeSet<>(MEMBERS));
            }
        }
        String tenant = tenant(caller, q.get("tenant"));
        List<String> metrics = metrics(q.get("metrics"));
        Instant[] range = dateRange(q.get("date_range"), now);
        List<StatsQuery.Dimension> dimensions = dimensions(q.get("dimensions"));
        List<StatsQuery.Filter> filters = filters(q.get("filters"));
        List<StatsQuery.Order> order = orderBy(q.get("order_by"), metrics, dimensions);
        int[] page = pagination(q.get("pagination"));

        Granularity time = dimensions.stream().map(StatsQuery.Dimension::time).filter(java.util.Objects::nonNull)
                .findFirst().orElse(Granularity.DAY);
        Granularity alignment = Granularity.DAY.aligned(range[0]) && Granularity.DAY.aligned(range[1]) ? Granularity.DAY
                : Granularity.HOUR.aligned(range[0]) && Granularity.HOUR.aligned(range[1]) ? Granularity.HOUR
                        : Granularity.MINUTE;
        Granularity table = time.compareTo(alignment) < 0 ? time : alignment;
        if (time == Granularity.MINUTE) {
            long buckets = Duration.between(range[0], range[1]).toMinutes();
            if (buckets > maxMinuteBuckets) {
                throw ProblemException.invalid("dimensions", "time:minute over this date_range gives " + buckets
                        + " buckets, more than the " + maxMinuteBuckets + " allowed; narrow the range or use time:hour");
            }
        }
        return new StatsQuery(tenant, metrics, range[0], range[1], dimensions, filters, order, page[0], page[1], table);
    }

    /** The caller's own tenant, or for platform admins the one they name ({@code "*"}: all, answered as null). */
    static String tenant(Caller caller, JsonNode node) {
        if (node == null || node.isNull()) {
            return caller.tenant();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw ProblemException.invalid("tenant", "must be a tenant id, or \"*\" for the whole platform");
        }
        String requested = node.asText().strip();
        if (requested.equals(caller.tenant())) {
            return requested;
        }
        if (!caller.has(Role.PLATFORM_ADMIN)) {
            // another tenant's data is invisible: the same answer whether or not it exists
            throw ProblemException.notFound("no tenant '" + requested + "'");
        }
        return ALL_TENANTS.equals(requested) ? null : requested;
    }

    private static List<String> metrics(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ProblemException.invalid("metrics", "is required: a non-empty array of " + StatsQuery.METRICS);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode m : node) {
            String name = m.isTextual() ? m.asText() : null;
            if (name == null || !StatsQuery.METRICS.contains(name)) {
                throw ProblemException.invalid("metrics", "unknown metric " + m + "; known: " + StatsQuery.METRICS);
            }
            if (out.contains(name)) {
                throw ProblemException.invalid("metrics", "'" + name + "' is listed twice");
            }
            out.add(name);
        }
        return out;
    }

    private static Instant[] dateRange(JsonNode node, Instant now) {
        if (node == null || node.isNull()) {
            throw ProblemException.invalid("date_range", "is required: \"60m\", \"24h\", \"7d\", \"30d\" (the last N"
                    + " minutes, hours or UTC days, the current one included) or [from, to]");
        }
        Instant from;
        Instant to;
        if (node.isTextual()) {
            Matcher m = RELATIVE.matcher(node.asText().strip());
            if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
                throw ProblemException.invalid("date_range", "'" + node.asText()
                        + "' is not a relative range such as \"60m\", \"24h\" or \"30d\"");
            }
            long n = Long.parseLong(m.group(1));
            ChronoUnit unit = switch (m.group(2)) {
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            to = now.truncatedTo(unit).plus(1, unit);
            from = to.minus(n, unit);
        } else if (node.isArray() && node.size() == 2) {
            from = bound(node.get(0), false);
            to = bound(node.get(1), true);
        } else {
            throw ProblemException.invalid("date_range", "must be a relative range such as \"7d\" or an array [from, to]");
        }
        if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
            throw ProblemException.invalid("date_range", "must lie between " + EARLIEST + " and " + LATEST);
        }
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("date_range", "the end must be after the start");
        }
        return new Instant[] { from, to };
    }

    /** A date-time (to: exclusive) or a date (to: inclusive, the whole day); whole minutes only. */
    private static Instant bound(JsonNode node, boolean end) {
        String which = end ? "date_range[1]" : "date_range[0]";
        if (node == null || !node.isTextual()) {
            throw ProblemException.invalid(which, "must be an RFC 3339 date-time or a date (YYYY-MM-DD)");
        }
        String text = node.asText().strip();
        Instant t;
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                t = (end ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
            } else {
                t = OffsetDateTime.parse(text).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(which, "'" + text + "' is not an RFC 3339 date-time or a date (YYYY-MM-DD)");
        }
        if (!Granularity.MINUTE.aligned(t)) {
            throw ProblemException.invalid(which, "must be a whole minute: the finest rollup is per minute");
        }
        return t;
    }

    private List<StatsQuery.Dimension> dimensions(JsonNode node) {
        List<StatsQuery.Dimension> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ProblemException.invalid("dimensions", "must be an array");
        }
        if (node.size() > MAX_DIMENSIONS) {
            throw ProblemException.invalid("dimensions", "at most " + MAX_DIMENSIONS + " dimensions");
        }
        for (JsonNode d : node) {
            StatsQuery.Dimension dim = dimension("dimensions", d);
            if (out.stream().anyMatch(o -> o.name().equals(dim.name()))) {
                throw ProblemException.invalid("dimensions", "'" + dim.name() + "' is listed twice");
            }
            if (dim.time() != null && out.stream().anyMatch(o -> o.time() != null)) {
                throw ProblemException.invalid("dimensions", "at most one time dimension");
            }
            out.add(dim);
        }
        return out;
    }

    private StatsQuery.Dimension dimension(String field, JsonNode d) {
        String name = d != null && d.isTextual() ? d.asText() : null;
        if (name != null) {
            switch (name) {
                case "time:minute":
                    return new StatsQuery.Dimension(name, Granularity.MINUTE, null, null);
                case "time:hour":
                    return new StatsQuery.Dimension(name, Granularity.HOUR, null, null);
                case "time:day":
                    return new StatsQuery.Dimension(name, Granularity.DAY, null, null);
                case "event:type":
                    return new StatsQuery.Dimension(name, null, "type", null);
                case "event:tenant":
                    return new StatsQuery.Dimension(name, null, "tenant", null);
                default:
                    if (name.startsWith("data:") && rules.allDimensions().contains(name.substring(5))) {
                        return new StatsQuery.Dimension(name, null, null, name.substring(5));
                    }
            }
        }
        throw ProblemException.invalid(field, "unknown dimension " + d + "; known: time:minute, time:hour, time:day,"
                + " event:type, event:tenant" + rules.allDimensions().stream().map(p -> ", data:" + p)
                        .reduce("", String::concat));
    }

    private List<StatsQuery.Filter> filters(JsonNode node) {
        List<StatsQuery.Filter> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > MAX_FILTERS) {
            throw ProblemException.invalid("filters", "must be an array of at most " + MAX_FILTERS
                    + " [operator, dimension, [values]] filters");
        }
        for (int i = 0; i < node.size(); i++) {
            String field = "filters[" + i + "]";
            JsonNode f = node.get(i);
            if (!f.isArray() || f.size() != 3) {
                throw ProblemException.invalid(field, "must be [operator, dimension, [values]]");
            }
            String op = f.get(0).isTextual() ? f.get(0).asText() : "";
            if (!OPERATORS.contains(op)) {
                throw ProblemException.invalid(field, "unknown operator " + f.get(0) + "; known: is, is_not, contains");
            }
            StatsQuery.Dimension dim = dimension(field, f.get(1));
            if (dim.time() != null) {
                throw ProblemException.invalid(field, "time is filtered with date_range, not with filters");
            }
            JsonNode values = f.get(2);
            if (!values.isArray() || values.isEmpty() || values.size() > MAX_FILTER_VALUES) {
                throw ProblemException.invalid(field, "values must be a non-empty array of at most " + MAX_FILTER_VALUES
                        + " strings");
            }
            List<String> vs = new ArrayList<>();
            for (JsonNode v : values) {
                if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                    throw ProblemException.invalid(field, "values must be strings");
                }
                vs.add(v.asText());
            }
            out.add(new StatsQuery.Filter(op, dim, vs));
        }
        return out;
    }

    private static List<StatsQuery.Order> orderBy(JsonNode node, List<String> metrics,
            List<StatsQuery.Dimension> dimensions) {
        List<StatsQuery.Order> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            // Plausible's default: by time when grouped by time, else by the first metric, largest first
            dimensions.stream().filter(d -> d.time() != null).findFirst()
                    .ifPresent(d -> out.add(new StatsQuery.Order(d.name(), true)));
            out.add(new StatsQuery.Order(metrics.getFirst(), false));
            return out;
        }
        if (!node.isArray()) {
            throw ProblemException.invalid("order_by", "must be an array of [metric or dimension, \"asc\"|\"desc\"]");
        }
        for (int i = 0; i < node.size(); i++) {
            String field = "order_by[" + i + "]";
            JsonNode o = node.get(i);
            if (!o.isArray() || o.size() != 2 || !o.get(0).isTextual() || !o.get(1).isTextual()) {
                throw ProblemException.invalid(field, "must be [metric or dimension, \"asc\"|\"desc\"]");
            }
            String key = o.get(0).asText();
            if (!metrics.contains(key) && dimensions.stream().noneMatch(d -> d.name().equals(key))) {
                throw ProblemException.invalid(field, "'" + key + "' is neither a queried metric nor a queried dimension");
            }
            String dir = o.get(1).asText().toLowerCase(Locale.ROOT);
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw ProblemException.invalid(field, "direction must be \"asc\" or \"desc\"");
            }
            out.add(new StatsQuery.Order(key, dir.equals("asc")));
        }
        return out;
    }

    private int[] pagination(JsonNode node) {
        int limit = Math.min(10000, maxLimit);
        int offset = 0;
        if (node == null || node.isNull()) {
            return new int[] { limit, offset };
        }
        if (!node.isObject()) {
            throw ProblemException.invalid("pagination", "must be an object {limit, offset}");
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "limit" -> {
                    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > maxLimit) {
                        throw ProblemException.invalid("pagination.limit", "must be an integer from 1 to " + maxLimit);
                    }
                    limit = v.asInt();
                }
                case "offset" -> {
                    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                        throw ProblemException.invalid("pagination.offset", "must be an integer of 0 or more");
                    }
                    offset = v.asInt();
                }
                default -> throw ProblemException.invalid("pagination." + e.getKey(), "unknown member; expected limit, offset");
            }
        }
        return new int[] { limit, offset };
    }
}
