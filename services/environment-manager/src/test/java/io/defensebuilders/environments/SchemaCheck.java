package io.defensebuilders.environments;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Validates a document against a Kubernetes structural schema (the subset a CRD's openAPIV3Schema uses: type,
 * properties, required, items, pattern, enum, minItems/maxItems, minLength/maxLength, additionalProperties), and
 * treats fields the schema does not know as errors, as {@code kubectl apply --validate=strict} does.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    static List<String> validate(JsonNode schema, JsonNode value, String path) {
        List<String> errors = new ArrayList<>();
        check(schema, value, path, errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (value == null || value.isMissingNode()) {
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": must not be null");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    errors.add(path + ": must be an object");
                    return;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        errors.add(path + "." + required.asText() + ": required");
                    }
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.get("additionalProperties");
                boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String child = path + "." + field.getKey();
                    if (properties.has(field.getKey())) {
                        check(properties.get(field.getKey()), field.getValue(), child, errors);
                    } else if (additional != null && additional.isObject()) {
                        check(additional, field.getValue(), child, errors);
                    } else if (!preserve) {
                        errors.add(child + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": must be an array");
                    return;
                }
                if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                    errors.add(path + ": at most " + schema.get("maxItems").asInt() + " items");
                }
                if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                    errors.add(path + ": at least " + schema.get("minItems").asInt() + " items");
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(path + ": must be a string");
                    return;
                }
                String text = value.asText();
                if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
                    errors.add(path + ": does not match " + schema.get("pattern").asText());
                }
                if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
                    errors.add(path + ": longer than " + schema.get("maxLength").asInt());
                }
                if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
                    errors.add(path + ": shorter than " + schema.get("minLength").asInt());
                }
                if (schema.has("enum")) {
                    boolean found = false;
                    for (JsonNode e : schema.get("enum")) {
                        found |= e.asText().equals(text);
                    }
                    if (!found) {
                        errors.add(path + ": not one of " + schema.get("enum"));
                    }
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(path + ": must be a boolean");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(path + ": must be an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(path + ": must be a number");
                }
            }
            default -> {
                // no type: anything goes (x-kubernetes-int-or-string and the like)
            }
        }
    }
}
