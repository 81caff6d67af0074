package io.defensebuilders.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * argocd/ as Argo CD reads it: its manifests, checked against Argo CD's own CRD schemas (src/test/resources/argocd),
 * and the Applications its ApplicationSet generates for a registered cluster.
 */
final class ArgoCd {

    static final Path DIR = Chart.REPO.resolve("argocd");
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private ArgoCd() {
    }

    /** Every object of argocd/bootstrap.yaml and argocd/apps/, as Argo CD applies them. */
    static List<JsonNode> manifests() {
        List<JsonNode> out = new ArrayList<>(read(DIR.resolve("bootstrap.yaml")));
        try (Stream<Path> apps = Files.list(DIR.resolve("apps"))) {
            apps.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> out.addAll(read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<JsonNode> read(Path file) {
        try {
            return Chart.documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode one(String kind) {
        return manifests().stream().filter(m -> kind.equals(m.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("argocd/ has no " + kind));
    }

    /** What Argo CD's CRD schema for the object's kind says is wrong with it; empty when it is valid. */
    static List<String> problems(JsonNode object) {
        String kind = object.path("kind").asText();
        if (!"argoproj.io/v1alpha1".equals(object.path("apiVersion").asText())) {
            return List.of(kind + ": apiVersion " + object.path("apiVersion") + " is not argoproj.io/v1alpha1");
        }
        JsonSchema schema = SCHEMAS.computeIfAbsent(kind, ArgoCd::schema);
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(object)) {
            problems.add(kind + " " + object.path("metadata").path("name").asText() + ": " + m.getMessage());
        }
        return problems;
    }

    private static JsonSchema schema(String kind) {
        String file = switch (kind) {
            case "Application" -> "application";
            case "ApplicationSet" -> "applicationset";
            case "AppProject" -> "appproject";
            default -> throw new AssertionError("not an Argo CD kind: " + kind);
        };
        try (InputStream in = new GZIPInputStream(ArgoCd.class.getResourceAsStream("/argocd/" + file + "-crd.yaml.gz"))) {
            JsonNode crd = Chart.YAML.readTree(in);
            JsonNode version = null;
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("storage").asBoolean()) {
                    version = v;
                }
            }
            ObjectNode openApi = (ObjectNode) version.path("schema").path("openAPIV3Schema").deepCopy();
            closed(openApi);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(openApi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code additionalProperties: false} wherever a schema lists its properties and does not keep unknown fields: the
     * API server prunes unknown fields silently, so a misspelt one would be lost, not refused.
     */
    private static void closed(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                o.put("additionalProperties", false);
            }
            o.forEach(ArgoCd::closed);
        } else if (schema instanceof ArrayNode a) {
            a.forEach(ArgoCd::closed);
        }
    }

    /** A cluster generator's parameters for an Argo CD cluster Secret with these labels and chart values. */
    static ObjectNode cluster(String name, String cloud, String env, String chartValues) {
        ObjectNode p = Chart.YAML.createObjectNode();
        p.put("name", name).put("nameNormalized", name).put("server", "https://" + name + ".example.com")
                .put("project", "");
        ObjectNode metadata = p.putObject("metadata");
        metadata.putObject("labels").put("cloud", cloud).put("env", env)
                .put("argocd.argoproj.io/secret-type", "cluster");
        ObjectNode annotations = metadata.putObject("annotations");
        if (chartValues != null) {
            annotations.put("defensebuilders.io/chart-values", chartValues);
        }
        return p;
    }

    /** The parameters the matrix gives: a cluster's, then its environment's config.yaml (the git files generator). */
    static ObjectNode matrix(ObjectNode cluster, Path configFile) {
        ObjectNode p = cluster.deepCopy();
        read(configFile).get(0).fields().forEachRemaining(e -> p.set(e.getKey(), e.getValue()));
        Path relative = Chart.REPO.relativize(configFile);
        ObjectNode path = p.putObject("path");
        path.put("path", relative.getParent().toString()).put("basename", relative.getParent().getFileName().toString())
                .put("filename", relative.getFileName().toString());
        ArrayNode segments = path.putArray("segments");
        relative.getParent().forEach(s -> segments.add(s.toString()));
        return p;
    }

    /** The Application the ApplicationSet makes of {@code params}: its template rendered, then its templatePatch. */
    static ObjectNode generate(JsonNode applicationSet, JsonNode params) {
        JsonNode spec = applicationSet.path("spec");
        ObjectNode template = (ObjectNode) spec.path("template").deepCopy();
        List<String> texts = new ArrayList<>();
        List<Consumer<String>> setters = new ArrayList<>();
        collect(template, texts, setters);
        int strings = texts.size();
        boolean patched = spec.hasNonNull("templatePatch");
        if (patched) {
            texts.add(spec.path("templatePatch").asText());
        }
        List<String> rendered = GoTemplate.render(params, texts);
        for (int i = 0; i < strings; i++) {
            setters.get(i).accept(rendered.get(i));
        }
        ObjectNode application = Chart.YAML.createObjectNode();
        application.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Application");
        ObjectNode metadata = (ObjectNode) template.path("metadata").deepCopy();
        metadata.put("namespace", applicationSet.path("metadata").path("namespace").asText());
        application.set("metadata", metadata);
        application.set("spec", template.path("spec"));
        if (patched) {
            List<JsonNode> patch = Chart.documents(rendered.get(rendered.size() - 1));
            if (!patch.isEmpty()) {
                Chart.merge(application, patch.get(0));
            }
        }
        return application;
    }

    /** Every string of {@code node} that holds a template action, and how to put its rendering in its place. */
    private static void collect(JsonNode node, List<String> strings, List<Consumer<String>> setters) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (child.isTextual() && child.asText().contains("{{")) {
                    strings.add(child.asText());
                    setters.add(s -> o.put(name, s));
                } else {
                    collect(child, strings, setters);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode child = a.get(i);
                int index = i;
                if (child.isTextual() && child.asText().contains("{{")) {
                    strings.add(child.asText());
                    setters.add(s -> a.set(index, TextNode.valueOf(s)));
                } else {
                    collect(child, strings, setters);
                }
            }
        }
    }
}
