package io.defensebuilders.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** The chart in deploy/helm/defense-builders, rendered and linted by Helm itself (helm-java). */
final class Chart {

    static final ObjectMapper YAML = new YAMLMapper();
    static final Path REPO = Path.of(System.getProperty("dbp.repo", "../..")).toAbsolutePath().normalize();
    static final Path DIR = REPO.resolve("deploy/helm/defense-builders");
    static final String NAMESPACE = "dbp";

    private Chart() {
    }

    /** A value set of src/test/resources/values. */
    static Path values(String name) {
        try {
            return Path.of(Chart.class.getResource("/values/" + name + ".yaml").toURI());
        } catch (Exception e) {
            throw new IllegalStateException(name, e);
        }
    }

    /**
     * The annotation that makes an object a Helm hook, as it appears in {@link #render}'s output. helm-java's template
     * returns the release manifest only, without hooks (the {@code helm} command appends them), so the chart is
     * rendered from a copy where {@code helm.sh/hook*} annotations are renamed {@code dbp.test/hook*}: the hook Jobs
     * then render, with their hook settings visible under the new names.
     */
    static final String HOOK = "dbp.test/hook";
    private static Path renderable;

    private static synchronized Path renderable() throws IOException {
        if (renderable == null) {
            Path copy = Files.createTempDirectory("dbp-chart-render-").resolve("defense-builders");
            copyFollowingLinks(DIR, copy);
            try (Stream<Path> templates = Files.list(copy.resolve("templates"))) {
                for (Path t : templates.toList()) {
                    Files.writeString(t, Files.readString(t).replace("helm.sh/hook", HOOK));
                }
            }
            renderable = copy;
        }
        return renderable;
    }

    /**
     * {@code helm template} with {@code values} and {@code --set} pairs: every rendered object, hooks included
     * ({@link #HOOK}); the CRDs of crds/ are not rendered by helm-java (they are checked where they are made).
     */
    static List<JsonNode> render(Path values, Object... sets) {
        return renderLayered(values == null ? List.of() : List.of(values), sets);
    }

    /** {@link #render(Path, Object...)} with several values files, later ones winning (helm's -f order). */
    static List<JsonNode> renderLayered(List<Path> values, Object... sets) {
        FakeApiServer.get();
        Path chart;
        try {
            chart = renderable();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var template = new Helm(chart).template().withName("dbp").withNamespace(NAMESPACE).withKubeVersion("1.31.0");
        for (Path v : values) {
            template = template.withValuesFile(v);
        }
        for (int i = 0; i < sets.length; i += 2) {
            template = template.set((String) sets[i], sets[i + 1]);
        }
        return documents(template.call());
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                    out.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * {@code helm lint --strict} of the chart as installed with {@code values}: lint reads only the chart's own
     * values.yaml, so it runs on a copy whose values.yaml is the defaults with {@code values} laid over them.
     */
    static LintResult lint(Path values) {
        return lintLayered(values == null ? List.of() : List.of(values));
    }

    /** {@link #lint(Path)} with several values files, later ones winning. */
    static LintResult lintLayered(List<Path> values) {
        try {
            Path copy = Files.createTempDirectory("dbp-chart-").resolve("defense-builders");
            copyFollowingLinks(DIR, copy);
            if (!values.isEmpty()) {
                ObjectNode merged = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
                for (Path v : values) {
                    merge(merged, YAML.readTree(v.toFile()));
                }
                YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            }
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code over} laid over {@code into}, objects merged key by key (as Helm merges values files). */
    static void merge(ObjectNode into, JsonNode over) {
        over.fields().forEachRemaining(e -> {
            JsonNode mine = into.get(e.getKey());
            if (mine instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    private static void copyFollowingLinks(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** The objects of {@code kind}. */
    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** The object of {@code kind} named {@code name}. */
    static JsonNode one(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** The pod template's spec of a workload (Deployment, StatefulSet, Job). */
    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    /** A container's environment as name to value (valueFrom entries as their JSON). */
    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? e.path("value").asText() : e.path("valueFrom").toString()));
        return env;
    }
}
