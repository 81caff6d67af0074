package io.defensebuilders.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Validates SPDX license expressions ({@code MIT}, {@code Apache-2.0 OR MIT}, {@code GPL-2.0-or-later WITH
 * Classpath-exception-2.0}, {@code LicenseRef-acme}) against the official SPDX license list, which the build copies
 * from the SPDX project's jar. Answers the expression with every id in its canonical case.
 */
@Singleton
public class SpdxLicenses {

    private final Map<String, String> licenses = new HashMap<>();
    private final Map<String, String> exceptions = new HashMap<>();
    private final String listVersion;

    public SpdxLicenses(ObjectMapper mapper) {
        JsonNode licenseList = read(mapper, "spdx/resources/stdlicenses/licenses.json");
        JsonNode exceptionList = read(mapper, "spdx/resources/stdlicenses/exceptions.json");
        licenseList.get("licenses").forEach(l -> licenses.put(lower(l.get("licenseId").asText()), l.get("licenseId").asText()));
        exceptionList.get("exceptions")
                .forEach(
                        e -> exceptions.put(lower(e.get("licenseExceptionId").asText()), e.get("licenseExceptionId").asText()));
        listVersion = licenseList.path("licenseListVersion").asText();
    }

    public String listVersion() {
        return listVersion;
    }

    /** The expression with canonical ids, or empty when it is not a valid SPDX expression of listed ids. */
    public Optional<String> canonical(String expression) {
        if (expression == null || expression.isBlank() || expression.length() > 256) {
            return Optional.empty();
        }
        try {
            Parser parser = new Parser(tokens(expression));
            String out = parser.expression();
            return parser.done() ? Optional.of(out) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<String> tokens(String expression) {
        List<String> out = new ArrayList<>();
        for (String part : expression.replace("(", " ( ").replace(")", " ) ").trim().split("\\s+")) {
            out.add(part);
        }
        return out;
    }

    /** expression := term (OR term)* ; term := factor (AND factor)* ; factor := ( expression ) | license [WITH exc] */
    private final class Parser {
        private final List<String> tokens;
        private int at;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        boolean done() {
            return at == tokens.size();
        }

        String expression() {
            StringBuilder out = new StringBuilder(term());
            while (peekOperator("OR")) {
                at++;
                out.append(" OR ").append(term());
            }
            return out.toString();
        }

        private String term() {
            StringBuilder out = new StringBuilder(factor());
            while (peekOperator("AND")) {
                at++;
                out.append(" AND ").append(factor());
            }
            return out.toString();
        }

        private String factor() {
            String token = next();
            if (token.equals("(")) {
                String inner = expression();
                if (!next().equals(")")) {
                    throw new IllegalArgumentException("unbalanced parenthesis");
                }
                return "(" + inner + ")";
            }
            String license = license(token);
            if (peekOperator("WITH")) {
                at++;
                String exception = exceptions.get(lower(next()));
                if (exception == null) {
                    throw new IllegalArgumentException("unknown exception");
                }
                return license + " WITH " + exception;
            }
            return license;
        }

        private String license(String token) {
            if (token.startsWith("LicenseRef-") && token.matches("LicenseRef-[A-Za-z0-9.-]+")) {
                return token;
            }
            boolean orLater = token.endsWith("+");
            String id = licenses.get(lower(orLater ? token.substring(0, token.length() - 1) : token));
            if (id == null) {
                throw new IllegalArgumentException("unknown license");
            }
            return orLater ? id + "+" : id;
        }

        private boolean peekOperator(String operator) {
            return at < tokens.size() && tokens.get(at).equalsIgnoreCase(operator);
        }

        private String next() {
            if (at >= tokens.size()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return tokens.get(at++);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: the build unpacks it from org.spdx:java-spdx-library");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
