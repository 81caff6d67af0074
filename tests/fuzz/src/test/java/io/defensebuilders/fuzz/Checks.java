package io.defensebuilders.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.http.RawHttp;

/**
 * What an answer must never be: a 5xx; a 4xx that is not RFC 9457 problem+json with {@code type}, {@code title}
 * and {@code status} (equal to the HTTP status), or under {@code /v2/} the Open Inference Protocol's
 * {@code {"error": "..."}}; a body naming a Java class, SQL or Jackson internals
 * ({@code names-internals}), or holding a secret; a 2xx to another tenant for A's private data; no answer within the
 * timeout.
 */
final class Checks {

    /** One broken rule. {@code evidence} is the part of the answer that shows it. */
    record Finding(String kind, String evidence) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    // Patterns stay linear in the body's length (bounded repeats after a fixed start): answers echo 100 KB strings.
    /** A qualified class name of the runtime's packages, an exception's name, an inner class, a stack trace. */
    private static final Pattern JAVA = Pattern.compile(
            "\\b(java|javax|jakarta|io\\.defensebuilders|io\\.vertx|io\\.quarkus|io\\.netty|com\\.fasterxml|org\\.hibernate"
                    + "|io\\.smallrye|org\\.postgresql|org\\.jboss|org\\.apache)(\\.[a-z_][a-z0-9_]*)*\\.[A-Z]\\w*"
                    + "|\\b\\w{0,100}Exception\\b|\\b[A-Z]\\w{0,100}\\$[A-Z]\\w*|(?i:stack ?trace)"
                    + "|\\bat [\\w.$]{1,300}\\(\\w{1,100}\\.java:\\d{1,6}\\)"
                    // Quarkus' own error page in JSON: {"details":"Error id ...","stack":"..."}
                    + "|\"stack\"\\s{0,10}:|\"details\"\\s{0,10}:\\s{0,10}\"Error id");
    private static final Pattern SQL = Pattern.compile("syntax error at|SQLSTATE|violates [\\w ]{0,100}constraint"
            + "|relation \"[^\"]*\" does not exist|invalid byte sequence for encoding|unsupported Unicode escape sequence"
            + "|value too long for type|out of range for type|null value in column|duplicate key value"
            + "|invalid input syntax for type|column \"[^\"]*\" does not exist");
    private static final Pattern JACKSON = Pattern.compile("JsonReadFeature|JsonParser\\.Feature|Cannot deserialize"
            + "|Cannot construct instance|\\[Source: |through reference chain|Unrecognized token '|Unexpected end-of-input"
            + "|\\(code \\d+\\)|StreamConstraintsException|Numeric value \\(.{0,200}\\) out of range");
    private static final Pattern API_KEY = Pattern.compile("dbp_[0-9a-f]{16}_[A-Za-z0-9_-]{16,}");

    private final List<String> secrets;
    private final List<String> markers;

    /**
     * @param secrets strings no answer may contain (the signing-key encryption key)
     * @param markers ids of A's private resources: no 2xx answer to B or C may contain one it did not ask for
     */
    Checks(List<String> secrets, List<String> markers) {
        this.secrets = List.copyOf(secrets);
        this.markers = List.copyOf(markers);
    }

    /**
     * Group of requests that break HTTP/1.1's own message syntax: Vert.x' parser answers them with a bare 400 and
     * closes before any of the platform's handlers runs, which is the one 4xx allowed not to be a problem.
     */
    static final String INVALID_HTTP = "invalid-http";

    List<Finding> check(FuzzCase c, RawHttp.Answer a) {
        List<Finding> out = new ArrayList<>();
        int status = a.status();
        String body = new String(a.body(), StandardCharsets.UTF_8);
        if (status >= 500) {
            out.add(new Finding("5xx", status + " " + excerpt(body)));
        } else if (c.group().equals(INVALID_HTTP) && status == 400) {
            // the parser's own refusal (see INVALID_HTTP); any other answer to such a request is checked as usual
        } else if (status >= 400) {
            java.util.Optional<String> notProblem = problem(status, a, body);
            // the Open Inference Protocol answers its own refusals as {"error": "..."} (what KServe, Triton and
            // Seldon clients read); the platform's layers before it (authentication, rate limits) answer problems
            if (notProblem.isPresent() && c.target().startsWith("/v2/")) {
                notProblem = oipError(a, body);
            }
            notProblem.ifPresent(why -> out.add(new Finding("not-problem+json", why)));
        }
        // one finding per answer, saying which of the three it names: they usually come together (a Jackson message
        // names the Java class it could not build)
        List<String> internals = new ArrayList<>();
        find(JAVA, body).ifPresent(m -> internals.add("Java: " + m));
        find(JACKSON, body).ifPresent(m -> internals.add("Jackson: " + m));
        find(SQL, body).ifPresent(m -> internals.add("SQL: " + m));
        if (!internals.isEmpty()) {
            out.add(new Finding("names-internals", String.join("; ", internals)));
        }
        boolean keyCreation = c.method().equals("POST") && c.target().startsWith("/api/v1/api-keys") && status == 201;
        if (!keyCreation) {
            find(API_KEY, body)
                    .ifPresent(m -> out.add(new Finding("leaks-secret", "an API key: " + m.substring(0, 22) + "...")));
        }
        for (String secret : secrets) {
            if (body.contains(secret)) {
                out.add(new Finding("leaks-secret", "the signing-key encryption key"));
            }
        }
        boolean success = status >= 200 && status < 300;
        if (c.crossTenant() && success) {
            out.add(new Finding("cross-tenant-success", status + " " + excerpt(body)));
        }
        if (success && c.tenant() != null && !c.tenant().equals(World.A)) {
            String request = c.requestText();
            for (String marker : markers) {
                if (body.contains(marker) && !request.contains(marker)) {
                    out.add(new Finding("cross-tenant-leak", "answer to " + c.tenant() + " holds A's private " + marker));
                }
            }
        }
        return out;
    }

    private static java.util.Optional<String> problem(int status, RawHttp.Answer a, String body) {
        String type = a.header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return java.util.Optional.of("Content-Type " + (type == null ? "(none)" : type) + ", body " + excerpt(body));
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (Exception e) {
            return java.util.Optional.of("body is not JSON: " + excerpt(body));
        }
        if (problem == null || !problem.isObject()) {
            return java.util.Optional.of("body is not a JSON object: " + excerpt(body));
        }
        if (!problem.path("type").isTextual() || !problem.path("title").isTextual()) {
            return java.util.Optional.of("type or title missing: " + excerpt(body));
        }
        if (!problem.path("status").isInt() || problem.path("status").asInt() != status) {
            return java.util.Optional.of("status member " + problem.path("status") + " for HTTP " + status);
        }
        return java.util.Optional.empty();
    }

    /** An Open Inference Protocol error: a JSON object with a string {@code error}, as application/json. */
    private static java.util.Optional<String> oipError(RawHttp.Answer a, String body) {
        String type = a.header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return java.util.Optional.of("neither a problem nor an OIP error: Content-Type "
                    + (type == null ? "(none)" : type) + ", body " + excerpt(body));
        }
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject() && error.path("error").isTextual()
                    && !error.path("error").asText().isBlank()) {
                return java.util.Optional.empty();
            }
        } catch (Exception e) {
            // falls through
        }
        return java.util.Optional.of("neither a problem nor an OIP {\"error\": ...}: " + excerpt(body));
    }

    private static java.util.Optional<String> find(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            return java.util.Optional.empty();
        }
        int from = Math.max(0, m.start() - 60);
        int to = Math.min(body.length(), m.end() + 60);
        return java.util.Optional.of("'" + m.group() + "' in ..." + clean(body.substring(from, to)) + "...");
    }

    static String excerpt(String body) {
        String s = clean(body);
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + body.length() + " chars)";
    }

    /** Control characters shown as escapes, so a report stays one line per item. */
    static String clean(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0xD800 && cp <= 0xDFFF)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
