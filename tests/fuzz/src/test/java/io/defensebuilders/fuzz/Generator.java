package io.defensebuilders.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The requests for one operation, from a {@link Random} seeded with the run's seed and the operation's name (so
 * adding an operation does not change the others' requests). Every operation gets its mandatory cases (a valid call
 * as each role of A; cross-tenant calls as B and C where the path or a {@code tenant} parameter names A's private
 * data), then up to the budget of malformed ones, drawn round-robin over the kinds of malformation so that each
 * kind is tried before any is tried twice.
 */
final class Generator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEHOLDER = "@@FUZZ-RAW@@";

    /** A value as it goes on the wire (already percent-encoded where it goes into a URL) and its name. */
    record Value(String name, String wire) {
    }

    /** Malformed path and query values, as they go into the URL. */
    static final List<Value> URL_VALUES = List.of(
            new Value("NUL %00", "%00"),
            new Value("newline %0A", "%0A"),
            new Value("traversal ..%2F..%2Fq%2Fhealth", "..%2F..%2Fq%2Fhealth"),
            new Value("10,000 chars", "a".repeat(10_000)),
            new Value("2,000 chars", "b".repeat(2_000)),
            new Value("emoji and RTL override", pct("\uD83D\uDE00\u202Eevil\u202C\u05D0\u05D1")),
            new Value("lone surrogate %ED%A0%80", "%ED%A0%80"),
            new Value("invalid UTF-8 %FF", "%FF"),
            new Value("-1", "-1"),
            new Value("0", "0"),
            new Value("99999999999999999999", "99999999999999999999"),
            new Value("1e999", "1e999"),
            new Value("NaN", "NaN"),
            new Value("empty", ""),
            new Value("space and quotes", "%20%22'%3Cx%3E"));

    /** Dates no store or java.time type holds, and one that is no date at all. */
    static final List<String> BAD_DATES = List.of("+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "2024-13-45");

    /** Query values that do not match a declared type. */
    static final List<Value> TYPE_MISMATCHES = List.of(
            new Value("type: text", "abc"),
            new Value("type: fraction", "1.5"),
            new Value("type: boolean", "true"),
            new Value("type: list", "1,2,3"));

    private static final java.util.regex.Pattern DATE_VALUE = java.util.regex.Pattern.compile("^\\d{4}-\\d{2}-\\d{2}");
    private static final java.util.regex.Pattern DATE_NAME = java.util.regex.Pattern.compile(
            ".*(Date|date|Time|time|At|since|Since|epoch|Epoch|Start|start|End|end)");

    private final OpenApi api;
    private final Samples samples;
    private final World world;
    private final long seed;
    private final int budget;

    Generator(OpenApi api, World world, long seed, int budget) {
        this.api = api;
        this.samples = new Samples(api);
        this.world = world;
        this.seed = seed;
        this.budget = budget;
    }

    List<FuzzCase> cases(OpenApi.Operation op) {
        Random random = new Random(seed * 1_000_003L + op.key().hashCode());
        Ctx ctx = new Ctx(op, random);
        List<FuzzCase> mandatory = new ArrayList<>();
        for (String role : World.ROLES) {
            mandatory.add(ctx.build("valid", "valid call as " + role, World.A, role, false, ctx.ownPath(), ctx.validQuery(),
                    ctx.validBody(), List.of()));
        }
        if (ctx.namesPrivateData()) {
            mandatory.add(ctx.build("cross-tenant", "A's private resource, as B/admin", World.B, "admin", true,
                    ctx.secretPath(), ctx.validQuery(), ctx.validBody(), List.of()));
            for (String tenant : List.of(World.B, World.C)) {
                String role = World.ROLES.get(random.nextInt(World.ROLES.size()));
                mandatory.add(ctx.build("cross-tenant", "A's private resource, as " + tenant + "/" + role, tenant, role,
                        true, ctx.secretPath(), ctx.validQuery(), ctx.validBody(), List.of()));
            }
        }
        if (op.in("query").stream().anyMatch(p -> p.name().equals("tenant"))) {
            for (String tenant : List.of(World.B, World.C)) {
                Map<String, String> query = new LinkedHashMap<>(ctx.validQuery());
                query.put("tenant", World.A);
                mandatory.add(ctx.build("cross-tenant", "?tenant=" + World.A + " as " + tenant + "/admin", tenant, "admin",
                        true, ctx.ownPath(), query, ctx.validBody(), List.of()));
            }
        }
        if (ctx.bodySchemaHas("tenant")) {
            for (String tenant : List.of(World.B, World.C)) {
                JsonNode valid = ctx.validJson().deepCopy();
                ((ObjectNode) valid).put("tenant", World.A);
                mandatory.add(ctx.build("cross-tenant", "body tenant=" + World.A + " as " + tenant + "/admin", tenant,
                        "admin", true, ctx.ownPath(), ctx.validQuery(), ctx.jsonBody(valid), List.of()));
            }
        }

        if (ctx.validJson() != null && ctx.validJson().isObject() && !ctx.validJson().isEmpty()) {
            // malformed input from a caller who may not call at all: the answer is a 403, never a 500
            String valid = new String(ctx.validBody().bytes(), StandardCharsets.UTF_8);
            String first = ctx.validJson().fieldNames().next();
            mandatory.add(ctx.build("order of checks", "duplicate key \"" + first + "\" as viewer", World.A, "viewer",
                    false, ctx.ownPath(), ctx.validQuery(), new Body("application/json", utf8(valid.substring(0,
                            valid.length() - 1) + ",\"" + first + "\":" + wrongType(ctx.validJson().get(first)) + "}")),
                    List.of()));
        }
        Map<String, List<FuzzCase>> groups = new LinkedHashMap<>();
        ctx.pathCases(groups);
        ctx.queryCases(groups);
        ctx.headerParamCases(groups);
        ctx.bodyCases(groups);
        ctx.headerCases(groups);
        List<FuzzCase> out = new ArrayList<>(mandatory);
        List<List<FuzzCase>> lists = new ArrayList<>();
        for (List<FuzzCase> group : groups.values()) {
            List<FuzzCase> shuffled = new ArrayList<>(group);
            Collections.shuffle(shuffled, random);
            lists.add(shuffled);
        }
        Collections.shuffle(lists, random);
        for (int round = 0; out.size() < Math.max(budget, mandatory.size()); round++) {
            boolean any = false;
            for (List<FuzzCase> group : lists) {
                if (round < group.size() && out.size() < Math.max(budget, mandatory.size())) {
                    out.add(group.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    /** The body of a request, with its content type (null: none sent). */
    record Body(String contentType, byte[] bytes) {
        static Body none() {
            return new Body(null, new byte[0]);
        }
    }

    /** Everything about one operation that its cases share. */
    private final class Ctx {
        final OpenApi.Operation op;
        final Random random;
        final Map<String, String> own = new LinkedHashMap<>();
        final Map<String, String> secret = new LinkedHashMap<>();
        boolean privateData;
        JsonNode validJson;
        String validText;

        Ctx(OpenApi.Operation op, Random random) {
            this.op = op;
            this.random = random;
            for (OpenApi.Param p : op.in("path")) {
                Ref ref = ref(op.path(), p.name());
                own.put(p.name(), ref.own());
                secret.put(p.name(), ref.secret());
                privateData |= ref.isPrivate();
            }
            op.body().ifPresent(b -> {
                if (isJson(b.mediaType())) {
                    validJson = b.example().isMissingNode() ? samples.of(b.schema(), "body", random) : b.example().deepCopy();
                } else if (b.example().isTextual()) {
                    validText = b.example().asText();
                } else {
                    validText = "fuzz";
                }
            });
        }

        boolean namesPrivateData() {
            return privateData;
        }

        JsonNode validJson() {
            return validJson;
        }

        boolean bodySchemaHas(String property) {
            return op.body().isPresent() && validJson != null && validJson.isObject()
                    && api.resolve(op.body().get().schema()).path("properties").has(property);
        }

        Map<String, String> ownPath() {
            return own;
        }

        Map<String, String> secretPath() {
            return secret;
        }

        Map<String, String> validQuery() {
            Map<String, String> q = new LinkedHashMap<>();
            for (OpenApi.Param p : op.in("query")) {
                if (p.required() || !p.example().isMissingNode()) {
                    q.put(p.name(), pct(p.example().isMissingNode() ? Samples.string(p.schema(), p.schema(), p.name(), random)
                            : p.example().asText()));
                }
            }
            return q;
        }

        Body validBody() {
            if (op.body().isEmpty()) {
                return Body.none();
            }
            if (validJson != null) {
                return jsonBody(validJson);
            }
            return new Body(op.body().get().mediaType().replace("*/*", "application/octet-stream"),
                    validText.getBytes(StandardCharsets.UTF_8));
        }

        Body jsonBody(JsonNode node) {
            try {
                return new Body("application/json", JSON.writeValueAsBytes(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A caller for a malformed case: an admin (admin holds every tenant role, so the malformed input reaches the
         * code behind the role check), of A where the path names A's data, else sometimes of B or C. The valid calls
         * cover each role, and one malformed body per operation is sent as a viewer (the order of checks).
         */
        String[] caller() {
            String tenant = privateData || random.nextInt(4) > 0 ? World.A : random.nextBoolean() ? World.B : World.C;
            return new String[] { tenant, "admin" };
        }

        FuzzCase build(String group, String label, String tenant, String role, boolean cross, Map<String, String> path,
                Map<String, String> query, Body body, List<Map.Entry<String, String>> extraHeaders) {
            return build(group, label, tenant, role, cross, target(path, query), body, extraHeaders, true, false);
        }

        FuzzCase build(String group, String label, String tenant, String role, boolean cross, String target, Body body,
                List<Map.Entry<String, String>> extraHeaders, boolean auth, boolean noHost) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (auth && tenant != null) {
                headers.add(Map.entry("Authorization", "Bearer " + world.key(tenant, role)));
            }
            boolean overridesAccept = extraHeaders.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Accept"));
            boolean overridesType = extraHeaders.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Content-Type"));
            if (!overridesAccept) {
                headers.add(Map.entry("Accept", "*/*"));
            }
            if (body.contentType() != null && !overridesType) {
                headers.add(Map.entry("Content-Type", body.contentType()));
            }
            headers.addAll(extraHeaders);
            return new FuzzCase(op.key(), group, label, auth ? tenant : null, auth ? role : null, cross, op.method(), target,
                    headers, body.bytes(), noHost);
        }

        String target(Map<String, String> path, Map<String, String> query) {
            String p = op.path();
            for (Map.Entry<String, String> e : path.entrySet()) {
                p = p.replace("{" + e.getKey() + "}", e.getValue());
            }
            if (query.isEmpty()) {
                return p;
            }
            StringBuilder s = new StringBuilder(p).append('?');
            query.forEach((k, v) -> s.append(s.charAt(s.length() - 1) == '?' ? "" : "&").append(k).append('=').append(v));
            return s.toString();
        }

        void add(Map<String, List<FuzzCase>> groups, FuzzCase c) {
            groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        }

        // ---- path parameters ---------------------------------------------------------------------------------

        void pathCases(Map<String, List<FuzzCase>> groups) {
            for (OpenApi.Param p : op.in("path")) {
                for (Value v : URL_VALUES) {
                    if (v.wire().isEmpty()) {
                        continue;
                    }
                    Map<String, String> path = new LinkedHashMap<>(own);
                    path.put(p.name(), v.wire());
                    String[] who = caller();
                    add(groups, build("path:" + v.name(), "path " + p.name() + " = " + v.name(), who[0], who[1], false,
                            path, validQuery(), validBody(), List.of()));
                }
            }
        }

        // ---- query parameters --------------------------------------------------------------------------------

        void queryCases(Map<String, List<FuzzCase>> groups) {
            List<String> names = new ArrayList<>(op.in("query").stream().map(OpenApi.Param::name).toList());
            names.add("fuzzUndeclared");
            for (String name : names) {
                List<Value> values = new ArrayList<>(URL_VALUES);
                BAD_DATES.forEach(d -> values.add(new Value("date " + d, pct(d))));
                values.addAll(TYPE_MISMATCHES);
                for (Value v : values) {
                    Map<String, String> query = new LinkedHashMap<>(validQuery());
                    query.put(name, v.wire());
                    String[] who = caller();
                    String group = "query:" + (v.name().startsWith("date ") ? "bad date"
                            : v.name().startsWith("type: ") ? "type mismatch" : "malformed value");
                    add(groups, build(group, "query " + name + " = " + v.name(), who[0], who[1], false, own, query,
                            validBody(), List.of()));
                }
                Map<String, String> twice = new LinkedHashMap<>(validQuery());
                twice.put(name, "1&" + name + "=2");
                String[] who = caller();
                add(groups, build("query:repeated", "query " + name + " given twice", who[0], who[1], false, own, twice,
                        validBody(), List.of()));
            }
        }

        void headerParamCases(Map<String, List<FuzzCase>> groups) {
            for (OpenApi.Param p : op.in("header")) {
                if (p.name().equalsIgnoreCase("Content-Length")) {
                    continue;
                }
                for (String v : List.of("sha-512=:AAAA:", "sha-512=:%%%:", "garbage", "x".repeat(10_000),
                        "sha-512=::,sha-256=")) {
                    String[] who = caller();
                    add(groups, build("header-param:" + p.name(), "header " + p.name() + " = " + abbreviate(v), who[0],
                            who[1], false, own, validQuery(), validBody(), List.of(Map.entry(p.name(), v))));
                }
            }
        }

        // ---- bodies ------------------------------------------------------------------------------------------

        void bodyCases(Map<String, List<FuzzCase>> groups) {
            if (op.body().isEmpty()) {
                return;
            }
            if (validJson != null) {
                jsonFieldCases(groups);
                jsonWholeCases(groups);
            } else {
                textCases(groups);
            }
        }

        void jsonFieldCases(Map<String, List<FuzzCase>> groups) {
            List<List<Object>> paths = new ArrayList<>();
            fieldPaths(validJson, new ArrayList<>(), paths, 0);
            for (List<Object> path : paths) {
                JsonNode current = at(validJson, path);
                // each malformation where it means something: numbers into numbers, text into strings, dates into
                // dates; "wrong type" and null everywhere
                Map<String, String> mutations = new LinkedHashMap<>();
                mutations.put("wrong type", wrongType(current));
                mutations.put("null", "null");
                if (current.isArray()) {
                    mutations.put("[null]", "[null]");
                    mutations.put("10,000 items", tenThousand(current));
                }
                if (current.isTextual()) {
                    mutations.put("NUL", "\"a\\u0000b\"");
                    mutations.put("control chars", "\"\\u0001\\u0008\\u001b\\u007f\\r\\n\\t\"");
                    mutations.put("unpaired surrogate", "\"x\\ud800y\"");
                    mutations.put("emoji and RTL", "\"\uD83D\uDE00\u202Eevil\u202C\"");
                    mutations.put("100 KB string", "\"" + "a".repeat(100 * 1024) + "\"");
                }
                if (current.isNumber()) {
                    mutations.put("1e999", "1e999");
                    mutations.put("-1e999", "-1e999");
                    mutations.put("99999999999999999999", "99999999999999999999");
                    mutations.put("1e308", "1e308");
                    mutations.put("-1", "-1");
                }
                if (current.isTextual() && (DATE_VALUE.matcher(current.asText()).find()
                        || path.get(path.size() - 1) instanceof String name && DATE_NAME.matcher(name).matches())) {
                    for (String d : BAD_DATES) {
                        mutations.put("date " + d, "\"" + d + "\"");
                    }
                }
                for (Map.Entry<String, String> m : mutations.entrySet()) {
                    byte[] body = replaced(path, m.getValue());
                    String[] who = caller();
                    String group = "body-field:" + (m.getKey().startsWith("date ") ? "bad date" : m.getKey());
                    add(groups, build(group, "body " + show(path) + " = " + m.getKey(), who[0], who[1], false, own,
                            validQuery(), new Body("application/json", body), List.of()));
                }
            }
        }

        void jsonWholeCases(Map<String, List<FuzzCase>> groups) {
            String valid = new String(validBody().bytes(), StandardCharsets.UTF_8);
            Map<String, byte[]> whole = new LinkedHashMap<>();
            if (validJson.isObject() && !validJson.isEmpty()) {
                String first = validJson.fieldNames().next();
                JsonNode value = validJson.get(first);
                whole.put("duplicate key \"" + first + "\"", utf8(valid.substring(0, valid.length() - 1) + ",\"" + first + "\":"
                        + wrongType(value) + "}"));
            }
            whole.put("duplicate keys {\"a\":1,\"a\":2}", utf8("{\"a\":1,\"a\":2}"));
            whole.put("nested 10,000 deep (objects)", utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
            whole.put("nested 10,000 deep (arrays)", utf8("[".repeat(10_000) + "]".repeat(10_000)));
            whole.put("empty body", new byte[0]);
            whole.put("null", utf8("null"));
            whole.put("[]", utf8("[]"));
            whole.put("bare string", utf8("\"fuzz\""));
            whole.put("bare number 1e999", utf8("1e999"));
            whole.put("truncated JSON", utf8(valid.substring(0, Math.max(1, valid.length() / 2))));
            whole.put("invalid UTF-8 bytes", invalidUtf8(valid));
            whole.put("unknown member", utf8(validJson.isObject() && !validJson.isEmpty()
                    ? valid.substring(0, valid.length() - 1) + ",\"fuzzUnknown\":{\"x\":[1]}}"
                    : "{\"fuzzUnknown\":1}"));
            whole.put("trailing garbage", utf8(valid + "}}garbage"));
            whole.put("BOM", concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, utf8(valid)));
            for (Map.Entry<String, byte[]> w : whole.entrySet()) {
                String[] who = caller();
                add(groups, build("body:" + w.getKey().replaceAll(" \".*\"", ""), "body " + w.getKey(), who[0], who[1],
                        false, own, validQuery(), new Body("application/json", w.getValue()), List.of()));
            }
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
                String[] who = caller();
                add(groups, build("body:wrong content type", "valid JSON sent as " + type, who[0], who[1], false, own,
                        validQuery(), new Body(type, utf8(valid)), List.of()));
            }
        }

        void textCases(Map<String, List<FuzzCase>> groups) {
            String type = validBody().contentType();
            String valid = validText;
            int mid = valid.length() / 2;
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            bodies.put("NUL", utf8(valid.substring(0, mid) + "\u0000" + valid.substring(mid)));
            bodies.put("control chars", utf8(valid.substring(0, mid) + "\u0001\u0008\u001b\u007f" + valid.substring(mid)));
            bodies.put("unpaired surrogate (UTF-8 bytes ED A0 80)", concat(concat(utf8(valid.substring(0, mid)),
                    new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }), utf8(valid.substring(mid))));
            bodies.put("invalid UTF-8 bytes", invalidUtf8(valid));
            bodies.put("emoji and RTL", utf8("\uD83D\uDE00\u202E" + valid));
            bodies.put("100 KB line", utf8(valid + "\n" + "1".repeat(100 * 1024)));
            bodies.put("empty body", new byte[0]);
            bodies.put("truncated", utf8(valid.substring(0, mid)));
            bodies.put("overflow numbers", utf8(valid.replaceAll("\\d{5}", "99999999999999999999")));
            for (Map.Entry<String, byte[]> b : bodies.entrySet()) {
                String[] who = caller();
                add(groups, build("body:" + b.getKey(), "body " + b.getKey(), who[0], who[1], false, own, validQuery(),
                        new Body(type, b.getValue()), List.of()));
            }
            for (String json : List.of("{}", "[]", "null",
                    "[{\"OBJECT_NAME\":\"\\u0000\",\"EPOCH\":\"+1000000000-01-01T00:00:00Z\","
                            + "\"NORAD_CAT_ID\":99999999999999999999,\"MEAN_MOTION\":1e999}]",
                    "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))) {
                String[] who = caller();
                add(groups, build("body:JSON instead", "body " + abbreviate(json) + " as application/json", who[0], who[1],
                        false, own, validQuery(), new Body("application/json", utf8(json)), List.of()));
            }
            for (String other : List.of("application/x-www-form-urlencoded", "image/png")) {
                String[] who = caller();
                add(groups, build("body:wrong content type", "body sent as " + other, who[0], who[1], false, own,
                        validQuery(), new Body(other, utf8(valid)), List.of()));
            }
        }

        // ---- headers -----------------------------------------------------------------------------------------

        void headerCases(Map<String, List<FuzzCase>> groups) {
            Map<String, Map.Entry<String, String>> odd = new LinkedHashMap<>();
            if (op.body().isPresent()) {
                odd.put("Content-Type charset=utf-7", Map.entry("Content-Type", "application/json; charset=utf-7"));
                odd.put("Content-Type text/html", Map.entry("Content-Type", "text/html"));
                odd.put("Content-Type broken", Map.entry("Content-Type", "application/json;;;=\"x"));
                odd.put("Content-Type multipart without boundary", Map.entry("Content-Type", "multipart/form-data; boundary="));
            }
            odd.put("Accept application/xml", Map.entry("Accept", "application/xml"));
            odd.put("Accept image/png", Map.entry("Accept", "image/png"));
            odd.put("Accept with bad q", Map.entry("Accept", "application/json;q=nan, */*;q=2"));
            odd.put("X-Request-Id markup", Map.entry("X-Request-Id", "<script>alert(1)</script>"));
            odd.put("X-Request-Id 300 chars", Map.entry("X-Request-Id", "Z".repeat(300)));
            odd.put("X-Request-Id UTF-8", Map.entry("X-Request-Id", "\u00e9\u20ac\uD83D\uDE00"));
            odd.put("X-Request-Id control char", Map.entry("X-Request-Id", "a\u0001b"));
            odd.put("20 KB header", Map.entry("X-Fuzz-Padding", "p".repeat(20 * 1024)));
            odd.put("unknown API key",
                    Map.entry("Authorization", "Bearer dbp_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
            odd.put("malformed API key", Map.entry("Authorization", "Bearer dbp_%00_\u00ff"));
            odd.put("Basic auth", Map.entry("Authorization", "Basic Zm9vOmJhcg=="));
            odd.put("not a JWT", Map.entry("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30."));
            for (Map.Entry<String, Map.Entry<String, String>> h : odd.entrySet()) {
                String[] who = caller();
                boolean replacesAuth = h.getValue().getKey().equals("Authorization");
                // a control character in a field value breaks HTTP's own syntax (RFC 9110 5.5): the HTTP parser
                // refuses the message before any handler exists, with its bare 400 (Checks allows that there only)
                String group = h.getKey().endsWith("control char") ? Checks.INVALID_HTTP : "header";
                add(groups, build(group, "header " + h.getKey(), replacesAuth ? null : who[0],
                        who[1], false, target(own, validQuery()), validBody(), List.of(h.getValue()), !replacesAuth, false));
            }
            add(groups, build("header", "no Authorization header", null, null, false,
                    target(own, validQuery()), validBody(), List.of(), false, false));
        }

        // ---- JSON helpers ------------------------------------------------------------------------------------

        /**
         * The body a field mutation starts from: for a body built from the schema, its required members plus the
         * mutated one (an optional member that needs more rights, like a tenant's plan, would answer 403 before the
         * mutation is looked at); for the document's own example, the example.
         */
        JsonNode base(List<Object> path) {
            if (!op.body().get().example().isMissingNode()) {
                return validJson.deepCopy();
            }
            JsonNode minimal = minimal(validJson, op.body().get().schema());
            JsonNode m = minimal;
            JsonNode full = validJson;
            for (Object step : path) {
                JsonNode next = step instanceof Integer i ? m.get(i) : m.get((String) step);
                JsonNode fullNext = step instanceof Integer i ? full.get(i) : full.get((String) step);
                if (next == null) {
                    if (m instanceof ObjectNode o && step instanceof String name) {
                        o.set(name, fullNext.deepCopy());
                    }
                    break;
                }
                m = next;
                full = fullNext;
            }
            return minimal;
        }

        private JsonNode minimal(JsonNode full, JsonNode schemaOrRef) {
            JsonNode schema = api.resolve(schemaOrRef);
            if (full.isObject() && schema.path("properties").isObject()) {
                ObjectNode out = JSON.createObjectNode();
                for (JsonNode required : schema.path("required")) {
                    String name = required.asText();
                    if (full.has(name)) {
                        out.set(name, minimal(full.get(name), schema.path("properties").path(name)));
                    }
                }
                return out;
            }
            if (full.isArray() && !full.isEmpty()) {
                ArrayNode out = JSON.createArrayNode();
                out.add(minimal(full.get(0), schema.path("items")));
                return out;
            }
            return full.deepCopy();
        }

        byte[] replaced(List<Object> path, String raw) {
            JsonNode copy = base(path);
            if (path.isEmpty()) {
                return utf8(raw);
            }
            JsonNode parent = at(copy, path.subList(0, path.size() - 1));
            Object last = path.get(path.size() - 1);
            if (parent instanceof ObjectNode o) {
                o.set((String) last, TextNode.valueOf(PLACEHOLDER));
            } else if (parent instanceof ArrayNode a) {
                a.set((Integer) last, TextNode.valueOf(PLACEHOLDER));
            }
            try {
                return utf8(JSON.writeValueAsString(copy).replace("\"" + PLACEHOLDER + "\"", raw));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Where each path parameter's real value comes from, and whether it names data private to tenant A. */
    record Ref(String own, String secret, boolean isPrivate) {
    }

    private Ref ref(String path, String param) {
        if (path.startsWith("/api/v1/tenants/")) {
            return param.equals("id") ? new Ref(World.A, World.A, true) : fixed(World.MEMBER);
        }
        if (path.startsWith("/api/v1/api-keys/")) {
            return kind("api-key");
        }
        if (path.startsWith("/api/v1/sdks/")) {
            return switch (param) {
                case "name" -> kind("sdk");
                case "version" -> fixed(World.VERSION);
                case "tag" -> fixed(World.DIST_TAG);
                default -> fixed("fuzz");
            };
        }
        if (path.startsWith("/api/v1/publishers/")) {
            return fixed(World.PUBLISHER); // publishers are public profiles
        }
        if (path.startsWith("/api/v1/environments/")) {
            return kind("environment");
        }
        if (path.startsWith("/api/v1/orbital/screenings/")) {
            return param.equals("id") ? kind("screening") : fixed(UUID.nameUUIDFromBytes(utf8("fuzz-conjunction")).toString());
        }
        if (param.equals("noradId")) {
            return fixed(Integer.toString(World.NORAD)); // the catalog is shared reference data
        }
        if (path.startsWith("/api/v1/orbital/element-sets/")) {
            return fixed(world.own.get("element-set"));
        }
        if (path.startsWith("/api/v1/billing/subscriptions/")) {
            return kind("subscription");
        }
        if (path.startsWith("/api/v1/billing/invoices/")) {
            return world.own.containsKey("invoice") ? kind("invoice")
                    : fixed(UUID.nameUUIDFromBytes(utf8("fuzz-invoice")).toString());
        }
        if (path.startsWith("/api/v1/integrations/hooks/")) {
            // signed deliveries take no credential: an existing integration, so the signature check is what answers
            return fixed(world.own.get("integration"));
        }
        if (path.startsWith("/api/v1/integrations/")) {
            return kind("integration");
        }
        if (path.startsWith("/api/v1/billing/meters/")) {
            return fixed("api.call"); // the meter catalog is platform-wide
        }
        if (path.startsWith("/api/v1/billing/plans/")) {
            return fixed("pro");
        }
        if (path.startsWith("/api/v1/billing/entitlements/")) {
            return fixed("environments");
        }
        return fixed("fuzz");
    }

    private Ref kind(String kind) {
        return new Ref(world.own.get(kind), world.secret.get(kind), true);
    }

    private static Ref fixed(String value) {
        return new Ref(value, value, false);
    }

    private static void fieldPaths(JsonNode node, List<Object> prefix, List<List<Object>> out, int depth) {
        if (depth > 3) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                List<Object> p = new ArrayList<>(prefix);
                p.add(name);
                out.add(p);
                fieldPaths(node.get(name), p, out, depth + 1);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            List<Object> p = new ArrayList<>(prefix);
            p.add(0);
            out.add(p);
            fieldPaths(node.get(0), p, out, depth + 1);
        }
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object step : path) {
            n = step instanceof Integer i ? n.get(i) : n.get((String) step);
        }
        return n;
    }

    private static String show(List<Object> path) {
        StringBuilder s = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                s.append('[').append(i).append(']');
            } else {
                s.append(s.isEmpty() ? "" : ".").append(step);
            }
        }
        return s.isEmpty() ? "(whole body)" : s.toString();
    }

    private static String wrongType(JsonNode current) {
        if (current == null || current.isNull()) {
            return "{\"fuzz\":[]}";
        }
        if (current.isTextual()) {
            return "12345";
        }
        if (current.isNumber()) {
            return "\"fuzz\"";
        }
        if (current.isBoolean()) {
            return "\"yes\"";
        }
        if (current.isArray()) {
            return "{\"a\":1}";
        }
        return "[1,\"x\"]";
    }

    private static String tenThousand(JsonNode array) {
        String item;
        try {
            item = array.isEmpty() ? "1" : JSON.writeValueAsString(array.get(0));
        } catch (JsonProcessingException e) {
            item = "1";
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            s.append(i == 0 ? "" : ",").append(item);
        }
        return s.append(']').toString();
    }

    static boolean isJson(String mediaType) {
        return mediaType.contains("json");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** The text with bytes that are never UTF-8 (FF FE, a lone continuation byte) in its first string, or at its middle. */
    private static byte[] invalidUtf8(String valid) {
        int quote = valid.indexOf('"', valid.indexOf(':') + 1);
        int at = quote > 0 ? quote + 1 : valid.length() / 2;
        return concat(concat(utf8(valid.substring(0, at)), new byte[] { (byte) 0xFF, (byte) 0xFE, (byte) 0x80 }),
                utf8(valid.substring(at)));
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "...(" + s.length() + " chars)";
    }

    /** Percent-encodes everything but unreserved characters, as UTF-8. */
    static String pct(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
