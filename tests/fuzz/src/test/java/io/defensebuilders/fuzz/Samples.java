package io.defensebuilders.fuzz;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Valid-looking values built from a schema: the document's own examples where it has them, else enums, formats,
 * patterns and names, so that a mutation of one field reaches code past the other fields' validation.
 */
final class Samples {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 5;

    private final OpenApi api;

    Samples(OpenApi api) {
        this.api = api;
    }

    JsonNode of(JsonNode schema, String name, Random random) {
        return of(schema, name, random, 0);
    }

    private JsonNode of(JsonNode schemaOrRef, String name, Random random, int depth) {
        JsonNode schema = api.resolve(schemaOrRef);
        // a $ref with siblings: the siblings (description, examples) describe the referenced type
        JsonNode example = schemaOrRef.has("examples") ? schemaOrRef.get("examples").path(0)
                : schemaOrRef.has("example") ? schemaOrRef.get("example")
                        : schema.has("examples") ? schema.get("examples").path(0)
                                : schema.path("example");
        if (!example.isMissingNode() && !example.isNull()) {
            return example.deepCopy();
        }
        if (schema.has("enum") && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size())).deepCopy();
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            JsonNode alternatives = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
            return of(alternatives.get(0), name, random, depth);
        }
        String type = schema.path("type").asText(schemaOrRef.path("type").asText(""));
        if (type.isEmpty() && schema.has("properties")) {
            type = "object";
        }
        return switch (type) {
            case "object" -> object(schema, random, depth);
            case "array" -> {
                ArrayNode array = JSON.arrayNode();
                if (depth < MAX_DEPTH) {
                    array.add(of(schema.path("items"), name, random, depth + 1));
                }
                yield array;
            }
            case "integer" -> JSON.numberNode(schema.has("minimum") ? schema.get("minimum").asLong() : 1L);
            case "number" -> JSON.numberNode(schema.has("minimum") ? schema.get("minimum").asDouble() + 1 : 1.5);
            case "boolean" -> JSON.booleanNode(false);
            case "string" -> JSON.textNode(string(schema, schemaOrRef, name, random));
            default -> JSON.textNode(string(schema, schemaOrRef, name, random));
        };
    }

    private ObjectNode object(JsonNode schema, Random random, int depth) {
        ObjectNode object = JSON.objectNode();
        if (depth >= MAX_DEPTH) {
            return object;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            // "tenant" in a body means "act on another tenant": platform admins only; the cross-tenant cases send it
            if (property.getKey().equals("tenant")) {
                continue;
            }
            object.set(property.getKey(), of(property.getValue(), property.getKey(), random, depth + 1));
        }
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject() && object.isEmpty()) {
            object.set("fuzz", of(additional, "fuzz", random, depth + 1));
        }
        return object;
    }

    /** A string the schema's format, pattern or field name suggests. */
    static String string(JsonNode schema, JsonNode outer, String name, Random random) {
        String format = schema.path("format").asText(outer.path("format").asText(""));
        String pattern = schema.path("pattern").asText("");
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        switch (format) {
            case "date-time":
                return "2026-12-01T00:00:00Z";
            case "date":
                return "2026-12-01";
            case "uuid":
                return new UUID(random.nextLong(), random.nextLong()).toString();
            case "uri":
                return "https://example.com/fuzz";
            default:
                break;
        }
        if (pattern.startsWith("viewer|")) {
            return "viewer";
        }
        if (pattern.equals("[A-Z]{3}")) {
            return "USD";
        }
        if (pattern.contains("https?://")) {
            return "https://example.com/fuzz";
        }
        if (pattern.startsWith("sha256:")) {
            return "sha256:" + "0".repeat(64);
        }
        if (pattern.startsWith("/")) {
            return "/healthz";
        }
        if (lower.contains("version")) {
            return "1.0.0";
        }
        if (lower.equals("name") || lower.equals("key") || lower.equals("publisher") || lower.equals("id")
                || pattern.startsWith("[a-z0-9]")) {
            return "fz-" + word(random);
        }
        return "fuzz " + word(random);
    }

    private static String word(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
