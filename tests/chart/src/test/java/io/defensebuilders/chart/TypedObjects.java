package io.defensebuilders.chart;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Offline validation of rendered objects with fabric8's typed model (what {@code kubectl --dry-run} would need a
 * server for): every object must be a kind the model knows, and no field anywhere in it may be unknown to the model.
 * fabric8 keeps unknown fields in each object's {@code additionalProperties} instead of failing, so the whole object
 * graph is walked for them.
 */
final class TypedObjects {

    private TypedObjects() {
    }

    /** The problems of {@code object}: an unknown kind, or each unknown field with its path. */
    static List<String> problems(JsonNode object) {
        String id = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
        HasMetadata typed;
        try {
            typed = Serialization.unmarshal(object.toString(), HasMetadata.class);
        } catch (RuntimeException e) {
            return List.of(id + ": does not parse: " + e.getMessage());
        }
        if (typed instanceof GenericKubernetesResource) {
            return List.of(id + ": " + object.path("apiVersion").asText() + " is not a kind the model knows");
        }
        List<String> problems = new ArrayList<>();
        walk(typed, id, problems, new IdentityHashMap<>());
        return problems;
    }

    private static void walk(Object node, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(value, path + "." + field, problems, seen);
        }
    }
}
