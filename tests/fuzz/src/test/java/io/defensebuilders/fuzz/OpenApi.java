package io.defensebuilders.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The operations of the merged platform OpenAPI document, with their parameters and request bodies, $refs resolved. */
final class OpenApi {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    /** A parameter as the document declares it ({@code in}: path, query or header). */
    record Param(String name, String in, boolean required, JsonNode schema, JsonNode example) {
    }

    /** A request body: the media type the fuzzer builds bodies for, its schema and an example if the document has one. */
    record Body(String mediaType, JsonNode schema, JsonNode example, List<String> mediaTypes) {
    }

    /** One path and method. */
    record Operation(String method, String path, List<Param> params, Optional<Body> body) {
        String key() {
            return method + " " + path;
        }

        List<Param> in(String where) {
            return params.stream().filter(p -> p.in().equals(where)).toList();
        }
    }

    private final JsonNode doc;

    OpenApi(JsonNode doc) {
        this.doc = doc;
    }

    /** Every operation, sorted by path then method, so that the walk (and the seeded randomness) is stable. */
    List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                List<Param> params = new ArrayList<>();
                for (JsonNode p : concat(path.getValue().path("parameters"), op.path("parameters"))) {
                    JsonNode param = resolve(p);
                    JsonNode schema = resolve(param.path("schema"));
                    JsonNode example = param.has("example") ? param.get("example")
                            : param.path("examples").isArray() && !param.path("examples").isEmpty()
                                    ? param.get("examples").get(0)
                                    : MissingNode.getInstance();
                    params.add(new Param(param.path("name").asText(), param.path("in").asText(),
                            param.path("required").asBoolean(false) || "path".equals(param.path("in").asText()), schema,
                            example));
                }
                out.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path.getKey(), params, body(op)));
            }
        }
        out.sort(Comparator.comparing(Operation::path).thenComparing(Operation::method));
        return out;
    }

    private Optional<Body> body(JsonNode op) {
        JsonNode content = resolve(op.path("requestBody")).path("content");
        if (!content.isObject() || content.isEmpty()) {
            return Optional.empty();
        }
        List<String> types = new ArrayList<>();
        content.fieldNames().forEachRemaining(types::add);
        // the media type the document shows an example for, else JSON, else the first
        String chosen = types.stream().filter(t -> example(content.get(t)).isPresent()).findFirst()
                .orElse(types.contains("application/json") ? "application/json" : types.get(0));
        JsonNode media = content.get(chosen);
        return Optional.of(new Body(chosen, resolve(media.path("schema")), example(media).orElse(MissingNode.getInstance()),
                List.copyOf(types)));
    }

    private static Optional<JsonNode> example(JsonNode media) {
        if (media.has("example")) {
            return Optional.of(media.get("example"));
        }
        JsonNode examples = media.path("examples");
        if (examples.isObject() && !examples.isEmpty()) {
            JsonNode first = examples.elements().next();
            return Optional.ofNullable(first.get("value"));
        }
        return Optional.empty();
    }

    /** The node itself, or what its {@code $ref} points at (followed until it is not a reference). */
    JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 20 && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                return MissingNode.getInstance();
            }
            JsonNode target = doc;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part.replace("~1", "/").replace("~0", "~"));
            }
            current = target;
        }
        return current;
    }

    private static List<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        b.forEach(out::add);
        return out;
    }
}
