package io.defensebuilders.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failures of a run, grouped by operation and kind so that one bug reads as one item: how often, with which
 * statuses, which cases, and a curl-like reproduction of the first examples. API keys are shown as
 * {@code $KEY_<tenant>_<role>}.
 */
final class Report {

    /** One failed check of one answer. */
    record Failure(FuzzCase c, Checks.Finding finding, int status) {
    }

    private static final int EXAMPLES = 2;
    private static final int LABELS = 12;
    private static final int CROSS_CUTTING = 5;
    private static final int PER_SERVICE = 3;

    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, String> keyNames;
    private final String base;

    Report(Map<String, String> keyNames, String base) {
        this.keyNames = keyNames;
        this.base = base;
    }

    void requested() {
        requests.incrementAndGet();
    }

    void failed(FuzzCase c, Checks.Finding finding, int status) {
        failures.add(new Failure(c, finding, status));
    }

    int requests() {
        return requests.get();
    }

    boolean clean() {
        return failures.isEmpty();
    }

    Map<String, Integer> countsByKind() {
        Map<String, Integer> counts = new TreeMap<>();
        failures.forEach(f -> counts.merge(f.finding().kind(), 1, Integer::sum));
        return counts;
    }

    int groups() {
        return grouped().size();
    }

    /**
     * Failures by group, so that one cause reads as one item: a failure seen the same way (kind, status, kind of
     * input, normalised evidence) on {@value #CROSS_CUTTING} or more operations of more than one service is one group
     * (the gateway's HTTP layer, say); the same kind of failure for the same kind of input on {@value #PER_SERVICE}
     * or more operations of one service is one group for that service (its JSON reader, say); the rest is per
     * operation and kind.
     */
    private Map<String, List<Failure>> grouped() {
        List<Failure> sorted = new ArrayList<>(failures);
        // the same order whatever order the threads finished in
        sorted.sort(Comparator.comparing((Failure f) -> f.c().operation()).thenComparing(f -> f.finding().kind())
                .thenComparing(f -> f.c().group()).thenComparing(f -> f.c().label()).thenComparing(f -> f.c().caller()));
        Map<String, Set<String>> operationsEverywhere = new LinkedHashMap<>();
        Map<String, Set<String>> servicesEverywhere = new LinkedHashMap<>();
        Map<String, Set<String>> operationsInService = new LinkedHashMap<>();
        for (Failure f : sorted) {
            operationsEverywhere.computeIfAbsent(signature(f), s -> new TreeSet<>()).add(f.c().operation());
            servicesEverywhere.computeIfAbsent(signature(f), s -> new TreeSet<>()).add(service(f.c()));
            operationsInService.computeIfAbsent(serviceSignature(f), s -> new TreeSet<>()).add(f.c().operation());
        }
        Map<String, List<Failure>> everywhere = new TreeMap<>();
        Map<String, List<Failure>> perService = new TreeMap<>();
        Map<String, List<Failure>> perOperation = new LinkedHashMap<>();
        for (Failure f : sorted) {
            String outcome = "[" + f.finding().kind() + "] " + inputKind(f.c()) + " -> "
                    + (f.status() == 0 ? "no answer" : f.status());
            Set<String> everywhereOps = operationsEverywhere.get(signature(f));
            Set<String> serviceOps = operationsInService.get(serviceSignature(f));
            if (everywhereOps.size() >= CROSS_CUTTING && servicesEverywhere.get(signature(f)).size() > 1) {
                everywhere.computeIfAbsent("ANY OPERATION (" + everywhereOps.size() + " of them)  " + outcome,
                        k -> new ArrayList<>()).add(f);
            } else if (serviceOps.size() >= PER_SERVICE) {
                perService.computeIfAbsent(service(f.c()) + ", " + serviceOps.size() + " operations  " + outcome,
                        k -> new ArrayList<>()).add(f);
            } else {
                perOperation.computeIfAbsent(f.c().operation() + "  [" + f.finding().kind() + "]", k -> new ArrayList<>())
                        .add(f);
            }
        }
        Map<String, List<Failure>> groups = new LinkedHashMap<>(everywhere);
        groups.putAll(perService);
        groups.putAll(perOperation);
        return groups;
    }

    private static String signature(Failure f) {
        return f.finding().kind() + "|" + f.status() + "|" + inputKind(f.c()) + "|" + normalise(f.finding().evidence());
    }

    private static String serviceSignature(Failure f) {
        return service(f.c()) + "|" + f.finding().kind() + "|" + f.status() + "|" + inputKind(f.c());
    }

    /** The service that owns the operation's path (the gateway for its own paths and anything unknown). */
    static String service(FuzzCase c) {
        String path = c.operation().substring(c.operation().indexOf(' ') + 1);
        for (Map.Entry<String, List<String>> s : Specials.PREFIXES.entrySet()) {
            if (s.getValue().stream().anyMatch(path::startsWith)) {
                return s.getKey();
            }
        }
        return "gateway";
    }

    /** Whole bodies of a JSON shape the operation does not take: one kind of input for grouping. */
    private static final Set<String> WRONG_SHAPES = Set.of("body []", "body null", "body bare string",
            "body bare number 1e999", "body nested 10,000 deep (arrays)", "body nested 10,000 deep (objects)");

    /** What was malformed, without naming the parameter: "10,000 chars", "header 20 KB header". */
    private static String inputKind(FuzzCase c) {
        if (WRONG_SHAPES.contains(c.label())) {
            return "body of the wrong JSON shape ([], null, a bare string or number, deep nesting)";
        }
        int eq = c.label().lastIndexOf(" = ");
        String kind = eq >= 0 ? c.label().substring(eq + 3) : c.label();
        return kind.replaceAll("\"[^\"]*\"", "\"...\"");
    }

    private static String normalise(String evidence) {
        String s = evidence.replaceAll("\\.\\.\\.\\(\\d+ chars\\)$", "")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("\"instance\":\"[^\"]*\"", "").replaceAll("/api/v1/[^\" ,]*", "<path>");
        // excerpts are cut at a fixed length, so a longer path shifts where: compare their beginnings only
        return s.length() <= 60 ? s : s.substring(0, 60);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, List<Failure>> group : grouped().entrySet()) {
            List<Failure> fs = group.getValue();
            Map<Integer, Integer> statuses = new TreeMap<>();
            fs.forEach(f -> statuses.merge(f.status(), 1, Integer::sum));
            out.append(String.format("%n%d. %s: %d failing answer(s), status ", ++n, group.getKey(), fs.size()));
            statuses.forEach((s, count) -> out.append(s == 0 ? "none" : s).append(" x").append(count).append(' '));
            out.append('\n');
            Set<String> labels = new LinkedHashSet<>();
            fs.forEach(f -> labels.add(f.c().label()));
            Set<String> operations = new TreeSet<>();
            fs.forEach(f -> operations.add(f.c().operation()));
            if (operations.size() > 1) {
                List<String> names = new ArrayList<>(operations);
                out.append("   operations: ").append(String.join(", ", names.subList(0, Math.min(names.size(), 15))))
                        .append(names.size() > 15 ? ", ... and " + (names.size() - 15) + " more" : "").append('\n');
            }
            out.append("   cases: ");
            int shown = 0;
            for (String label : labels) {
                if (shown++ == LABELS) {
                    out.append("... and ").append(labels.size() - LABELS).append(" more");
                    break;
                }
                out.append(shown == 1 ? "" : "; ").append(label);
            }
            out.append('\n');
            Set<String> seenEvidence = new LinkedHashSet<>();
            int examples = 0;
            for (Failure f : fs) {
                if (examples == EXAMPLES) {
                    break;
                }
                if (!seenEvidence.add(f.c().label()) && examples > 0) {
                    continue;
                }
                examples++;
                out.append("   e.g. ").append(f.c().label()).append(" as ").append(f.c().caller()).append('\n');
                out.append("     ").append(reproduce(f.c())).append('\n');
                out.append("     -> ").append(f.status() == 0 ? "no answer" : f.status()).append(": ")
                        .append(f.finding().evidence()).append('\n');
            }
        }
        return out.toString();
    }

    /** A command that sends the same request (curl, or printf into nc where curl cannot). */
    String reproduce(FuzzCase c) {
        StringBuilder s = new StringBuilder();
        if (c.noHost()) {
            s.append("printf '").append(c.method()).append(' ').append(c.target()).append(" HTTP/1.1\\r\\n");
            c.headers().forEach(h -> s.append(h.getKey()).append(": ").append(hide(h.getValue())).append("\\r\\n"));
            return s.append("Connection: close\\r\\n\\r\\n' | nc 127.0.0.1 <gateway port>").toString();
        }
        s.append("curl -i -X ").append(c.method()).append(" '").append(base).append(shorten(c.target())).append('\'');
        c.headers().forEach(
                h -> s.append(" -H '").append(h.getKey()).append(": ").append(shorten(hide(h.getValue()))).append('\''));
        if (c.body().length > 0) {
            s.append(" --data-binary '").append(bodyExcerpt(c.body())).append('\'');
        }
        return s.toString();
    }

    private String hide(String value) {
        String out = value;
        for (Map.Entry<String, String> k : keyNames.entrySet()) {
            out = out.replace(k.getKey(), k.getValue());
        }
        return out;
    }

    private static String shorten(String s) {
        String clean = Checks.clean(s);
        return clean.length() <= 300 ? clean : clean.substring(0, 120) + "...(" + s.length() + " chars)";
    }

    static String bodyExcerpt(byte[] body) {
        StringBuilder s = new StringBuilder();
        String text = new String(body, StandardCharsets.UTF_8);
        boolean valid = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), body);
        if (valid) {
            s.append(Checks.clean(text.length() > 300 ? text.substring(0, 300) : text));
        } else {
            for (int i = 0; i < Math.min(body.length, 300); i++) {
                int b = body[i] & 0xff;
                s.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
            }
        }
        if (body.length > 300) {
            s.append("...(").append(body.length).append(" bytes)");
        }
        return s.toString().replace("'", "'\\''");
    }
}
