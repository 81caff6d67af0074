package io.defensebuilders.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * argocd/: the bootstrap Application, the AppProject and the ApplicationSet, validated against Argo CD's own CRD
 * schemas (3.6.0) with unknown fields refused; the Applications the ApplicationSet generates for clusters of each cloud
 * and environment, rendered with Go templates and sprig as Argo CD renders them, pointing at paths that exist and
 * installing the chart (helm lint --strict and template) with each environment's and cloud's values; and the rules
 * Argo CD adds to the chart: sync waves, hooks, and Secrets the chart generates kept across syncs.
 */
class ArgoCdTest {

    private static final List<String> CLOUDS = List.of("eks", "gke", "aks");
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    private static final Pattern WAVE = Pattern.compile("-?[0-9]+");
    private static final Set<String> HOOKS = Set.of("PreSync", "Sync", "PostSync", "SyncFail");
    private static final Set<String> HOOK_DELETE_POLICIES = Set.of("HookSucceeded", "HookFailed", "BeforeHookCreation");
    /** Argo CD's sync options (docs: user-guide/sync-options), as an annotation of an object or of an Application. */
    private static final Set<String> SYNC_OPTIONS = Set.of("Prune=false", "Prune=confirm", "Delete=false",
            "Delete=confirm", "Validate=false", "SkipDryRunOnMissingResource=true", "ApplyOutOfSyncOnly=true",
            "PruneLast=true", "Replace=true", "Force=true", "ServerSideApply=true", "ServerSideApply=false",
            "FailOnSharedResource=true", "RespectIgnoreDifferences=true", "CreateNamespace=true",
            "PrunePropagationPolicy=foreground", "PrunePropagationPolicy=background", "PrunePropagationPolicy=orphan");
    /** Cluster-scoped kinds the chart can make (its CRD comes from crds/, which helm-java does not render). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "Namespace");

    @Test
    void everyManifestIsValidByArgoCdsOwnSchemas() {
        List<JsonNode> manifests = ArgoCd.manifests();
        assertEquals(Set.of("Application", "AppProject", "ApplicationSet"),
                new TreeSet<>(manifests.stream().map(m -> m.path("kind").asText()).toList()));
        List<String> problems = new ArrayList<>();
        manifests.forEach(m -> problems.addAll(ArgoCd.problems(m)));
        assertEquals(List.of(), problems);
    }

    @Test
    void aMisspeltFieldIsRefused() {
        ObjectNode set = ArgoCd.one("ApplicationSet").deepCopy();
        ((ObjectNode) set.path("spec").path("template").path("spec").path("syncPolicy")).putArray("syncOption");
        assertTrue(ArgoCd.problems(set).toString().contains("syncOption"), ArgoCd.problems(set).toString());
        ObjectNode project = ArgoCd.one("AppProject").deepCopy();
        ((ObjectNode) project.path("spec")).put("sourceRepo", "https://example.com/x");
        assertTrue(ArgoCd.problems(project).toString().contains("sourceRepo"), ArgoCd.problems(project).toString());
        ObjectNode wrongType = ArgoCd.one("ApplicationSet").deepCopy();
        ((ObjectNode) wrongType.path("spec")).put("goTemplate", "yes");
        assertFalse(ArgoCd.problems(wrongType).isEmpty());
    }

    @Test
    void theApplicationSetRendersWithGoTemplatesAndFailsOnAMissingKey() {
        JsonNode spec = ArgoCd.one("ApplicationSet").path("spec");
        assertTrue(spec.path("goTemplate").asBoolean());
        assertEquals("[\"missingkey=error\"]", spec.path("goTemplateOptions").toString());
        // the check behind missingkey=error: a parameter no generator gives fails the generation
        ObjectNode params = params("eks", "dev");
        params.remove("targetRevision");
        assertThrows(IllegalArgumentException.class, () -> ArgoCd.generate(ArgoCd.one("ApplicationSet"), params));
    }

    @Test
    void everyParameterTheTemplatesReadIsGivenByTheGenerators() {
        JsonNode spec = ArgoCd.one("ApplicationSet").path("spec");
        List<String> templates = new ArrayList<>();
        strings(spec.path("template"), templates);
        templates.add(spec.path("templatePatch").asText());
        templates.add(spec.path("generators").toString());
        List<String> missing = new ArrayList<>();
        for (String cloud : CLOUDS) {
            for (String env : ENVIRONMENTS) {
                ObjectNode params = params(cloud, env);
                for (String t : templates) {
                    for (String field : GoTemplate.fields(t)) {
                        if (missingKey(params, field)) {
                            missing.add(cloud + "/" + env + ": ." + field);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
        // and the check finds one
        assertEquals(List.of("automated.prune", "name"), GoTemplate.fields("{{ if .automated.prune }}{{ .name }}{{ end }}"));
    }

    @Test
    void theApplicationSetDeploysTheChartToEveryCloudAndEnvironment() {
        JsonNode set = ArgoCd.one("ApplicationSet");
        JsonNode project = ArgoCd.one("AppProject");
        Set<String> names = new LinkedHashSet<>();
        for (String cloud : CLOUDS) {
            for (String env : ENVIRONMENTS) {
                ObjectNode app = ArgoCd.generate(set, params(cloud, env));
                assertEquals(List.of(), ArgoCd.problems(app), cloud + "/" + env);
                String name = app.path("metadata").path("name").asText();
                assertEquals("dbp-" + env + "-" + cloud + "-1", name);
                names.add(name);
                JsonNode appSpec = app.path("spec");
                assertEquals(project.path("metadata").path("name").asText(), appSpec.path("project").asText());
                assertEquals("https://" + cloud + "-1.example.com", appSpec.path("destination").path("server").asText());
                assertEquals("dbp", appSpec.path("destination").path("namespace").asText());
                JsonNode source = appSpec.path("source");
                Path chart = existing(source.path("path").asText());
                assertEquals(Chart.DIR, chart);
                assertEquals("dbp", source.path("helm").path("releaseName").asText());
                for (JsonNode valueFile : source.path("helm").path("valueFiles")) {
                    Path file = chart.resolve(valueFile.asText()).normalize();
                    assertTrue(file.startsWith(Chart.REPO) && Files.isRegularFile(file), name + ": " + valueFile);
                }
                assertTrue(source.path("helm").path("values").asText().contains("existingSecret: dbp-postgresql"), name);
                // automated prune and self-heal in dev, self-heal without prune in staging, a person syncs prod
                JsonNode automated = appSpec.path("syncPolicy").path("automated");
                switch (env) {
                    case "dev" -> assertEquals("{\"prune\":true,\"selfHeal\":true}", automated.toString());
                    case "staging" -> assertEquals("{\"prune\":false,\"selfHeal\":true}", automated.toString());
                    default -> assertTrue(automated.isMissingNode(), name + " syncs by itself: " + automated);
                }
                assertTrue(allowed(project, appSpec.path("destination").path("namespace").asText()));
                assertTrue(contains(project.path("spec").path("sourceRepos"), source.path("repoURL").asText()));
            }
        }
        assertEquals(9, names.size());
        // a cluster registered without chart values still generates (index gives ""): Argo CD reports the chart's
        // own error (postgresql.host is required) on that Application
        ObjectNode bare = ArgoCd.matrix(ArgoCd.cluster("bare", "eks", "dev", null),
                ArgoCd.DIR.resolve("environments/dev/config.yaml"));
        assertEquals("", ArgoCd.generate(set, bare).path("spec").path("source").path("helm").path("values").asText());
    }

    @Test
    void theClusterSelectorAndTheFilesCoverTheSameEnvironmentsAndClouds() throws IOException {
        JsonNode matrix = ArgoCd.one("ApplicationSet").path("spec").path("generators").get(0).path("matrix");
        Map<String, Set<String>> selector = new HashMap<>();
        for (JsonNode e : matrix.path("generators").get(0).path("clusters").path("selector").path("matchExpressions")) {
            assertEquals("In", e.path("operator").asText());
            Set<String> values = new TreeSet<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            selector.put(e.path("key").asText(), values);
        }
        assertEquals(new TreeSet<>(ENVIRONMENTS), selector.get("env"));
        assertEquals(new TreeSet<>(CLOUDS), selector.get("cloud"));
        assertEquals(new TreeSet<>(ENVIRONMENTS), names(ArgoCd.DIR.resolve("environments"), ""));
        assertEquals(new TreeSet<>(CLOUDS), names(ArgoCd.DIR.resolve("clouds"), ".yaml"));
        for (String env : ENVIRONMENTS) {
            JsonNode config = ArgoCd.read(ArgoCd.DIR.resolve("environments/" + env + "/config.yaml")).get(0);
            assertEquals(env, config.path("environment").asText(), "config.yaml of " + env);
            assertTrue(config.path("targetRevision").isTextual(), env);
            JsonNode automated = config.path("automated");
            assertTrue(automated.isBoolean() && !automated.asBoolean()
                    || automated.path("prune").isBoolean() && automated.path("selfHeal").isBoolean(), env);
        }
    }

    @Test
    void oneRepositoryFeedsEverything() {
        JsonNode project = ArgoCd.one("AppProject");
        JsonNode bootstrap = ArgoCd.one("Application");
        JsonNode set = ArgoCd.one("ApplicationSet");
        String repo = bootstrap.path("spec").path("source").path("repoURL").asText();
        assertEquals(List.of(repo), List.of(project.path("spec").path("sourceRepos").get(0).asText()));
        assertEquals(repo, set.path("spec").path("template").path("spec").path("source").path("repoURL").asText());
        assertEquals(repo, set.at("/spec/generators/0/matrix/generators/1/git/repoURL").asText());
        // the bootstrap (app of apps) points at the folder that holds the project and the ApplicationSet
        Path apps = existing(bootstrap.path("spec").path("source").path("path").asText());
        assertEquals(ArgoCd.DIR.resolve("apps"), apps);
        assertEquals("argocd", bootstrap.path("metadata").path("namespace").asText());
        assertTrue(bootstrap.path("spec").path("syncPolicy").path("automated").path("selfHeal").asBoolean());
        // the project comes before the ApplicationSet whose Applications name it
        assertTrue(wave(project) < wave(set));
    }

    @Test
    void everyEnvironmentInstallsOnEveryCloudWithinTheProject() {
        JsonNode project = ArgoCd.one("AppProject");
        Set<String> namespaced = kinds(project.path("spec").path("namespaceResourceWhitelist"));
        Set<String> clusterScoped = kinds(project.path("spec").path("clusterResourceWhitelist"));
        assertTrue(clusterScoped.containsAll(Set.of("CustomResourceDefinition", "Namespace")), clusterScoped.toString());
        List<String> problems = new ArrayList<>();
        for (String cloud : CLOUDS) {
            for (String env : ENVIRONMENTS) {
                List<Path> values = values(cloud, env);
                var lint = Chart.lintLayered(values);
                if (lint.isFailed()) {
                    problems.add(cloud + "/" + env + ": " + lint.getMessages());
                    continue;
                }
                for (JsonNode o : Chart.renderLayered(values, "monitoring.serviceMonitor", "true",
                        "monitoring.prometheusRule", "true")) {
                    String kind = o.path("kind").asText();
                    if (!(CLUSTER_SCOPED.contains(kind) ? clusterScoped : namespaced).contains(kind)) {
                        problems.add(cloud + "/" + env + ": the AppProject does not allow " + kind);
                    }
                    problems.addAll(argoAnnotationProblems(o));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void environmentsDifferWhereTheySayTheyDo() {
        Map<String, JsonNode> gateway = new HashMap<>();
        for (String env : ENVIRONMENTS) {
            gateway.put(env, Chart.one(Chart.renderLayered(values("eks", env)), "Deployment", "gateway"));
        }
        assertEquals(1, gateway.get("dev").path("spec").path("replicas").asInt());
        // autoscaling owns the replicas in staging and prod
        assertTrue(gateway.get("prod").path("spec").path("replicas").isMissingNode());
        List<JsonNode> prod = Chart.renderLayered(values("aks", "prod"));
        JsonNode registry = Chart.one(prod, "Deployment", "sdk-registry");
        assertEquals("true", registry.at("/spec/template/metadata/labels").path("azure.workload.identity/use").asText());
        assertEquals("7a2b3c4d-1e2f-4a5b-9c8d-fedcba987654", Chart.one(prod, "ServiceAccount", "inference")
                .at("/metadata/annotations").path("azure.workload.identity/client-id").asText());
        assertEquals("azurefile-csi-premium", Chart.one(prod, "PersistentVolumeClaim", "inference-blobs")
                .at("/spec/storageClassName").asText());
        assertEquals(3, Chart.one(prod, "HorizontalPodAutoscaler", "gateway").at("/spec/minReplicas").asInt());
        // GKE's load balancer checks the gateway's readiness on the management port, which the policy lets it reach
        List<JsonNode> gke = Chart.renderLayered(values("gke", "staging"));
        JsonNode check = Chart.one(gke, "BackendConfig", "gateway").at("/spec/healthCheck");
        assertEquals(9000, check.path("port").asInt());
        assertEquals("/q/health/ready", check.path("requestPath").asText());
        assertEquals("{\"default\": \"gateway\"}", Chart.one(gke, "Service", "gateway").at("/metadata/annotations")
                .path("cloud.google.com/backend-config").asText());
        assertTrue(Chart.one(gke, "NetworkPolicy", "gateway").at("/spec/ingress/0").toString().contains("35.191.0.0/16"));
        assertTrue(Chart.ofKind(prod, "BackendConfig").isEmpty());
    }

    @Test
    void syncWavesHooksAndOptionsAreOnesArgoCdKnows() {
        List<String> problems = new ArrayList<>();
        ArgoCd.manifests().forEach(m -> problems.addAll(argoAnnotationProblems(m)));
        for (String set : List.of("evaluation", "external", "production", "gateway-only")) {
            Chart.render(Chart.values(set)).forEach(o -> problems.addAll(argoAnnotationProblems(o)));
        }
        JsonNode options = ArgoCd.one("ApplicationSet").at("/spec/template/spec/syncPolicy/syncOptions");
        options.forEach(o -> {
            if (!SYNC_OPTIONS.contains(o.asText())) {
                problems.add("ApplicationSet: unknown sync option " + o.asText());
            }
        });
        assertEquals(List.of(), problems);
        // and the rules find a wrong one
        ObjectNode bad = Chart.YAML.createObjectNode();
        bad.putObject("metadata").put("name", "x").putObject("annotations").put("argocd.argoproj.io/sync-wave", "first")
                .put("argocd.argoproj.io/hook", "PreInstall").put("argocd.argoproj.io/sync-options", "Prune=maybe");
        assertEquals(3, argoAnnotationProblems(bad).size());
    }

    @Test
    void dataServicesSyncBeforeTheFleetAndMigrationsBeforeNewPods() throws IOException {
        // the CRD first (crds/, which Argo CD applies with the rest; helm-java does not render it)
        try (Stream<Path> crds = Files.list(Chart.DIR.resolve("crds"))) {
            for (Path crd : crds.toList()) {
                JsonNode parsed = ArgoCd.read(crd).get(0);
                assertEquals(-2, wave(parsed), crd.toString());
                assertEquals(List.of(), argoAnnotationProblems(parsed));
            }
        }
        List<JsonNode> evaluation = Chart.render(Chart.values("evaluation"));
        List<String> data = new ArrayList<>();
        for (JsonNode o : evaluation) {
            String kind = o.path("kind").asText();
            String name = o.path("metadata").path("name").asText();
            boolean dataService = List.of("postgresql", "redis", "kafka", "postgresql-credentials").contains(name)
                    && Set.of("StatefulSet", "Service", "Secret").contains(kind);
            if (dataService) {
                assertEquals(-1, wave(o), kind + " " + name);
                data.add(kind + " " + name);
            } else {
                assertTrue(wave(o) >= 0, kind + " " + name + " syncs before the data services");
            }
        }
        assertEquals(7, data.size(), data.toString());
        // with external data services the schema migrations run as a PreSync hook, before any new pod
        List<JsonNode> jobs = Chart.ofKind(Chart.renderLayered(values("eks", "prod")), "Job");
        assertFalse(jobs.isEmpty());
        for (JsonNode job : jobs) {
            assertEquals("PreSync", job.at("/metadata/annotations").path("argocd.argoproj.io/hook").asText());
        }
        // Server-side apply for the whole Application: the CRD and the dashboards outgrow client-side apply
        JsonNode options = ArgoCd.one("ApplicationSet").at("/spec/template/spec/syncPolicy/syncOptions");
        assertTrue(contains(options, "ServerSideApply=true") && contains(options, "CreateNamespace=true"));
    }

    @Test
    void whatTheChartGeneratesAtRandomIsMadeOnceAndKept() {
        JsonNode set = ArgoCd.one("ApplicationSet");
        JsonNode appSpec = set.at("/spec/template/spec");
        assertTrue(contains(appSpec.at("/syncPolicy/syncOptions"), "RespectIgnoreDifferences=true"));
        Set<String> ignored = new TreeSet<>();
        for (JsonNode d : appSpec.path("ignoreDifferences")) {
            if ("Secret".equals(d.path("kind").asText()) && contains(d.path("jsonPointers"), "/data")) {
                ignored.add(d.path("name").asText());
            }
        }
        // Argo CD renders without a cluster: Helm's lookup finds nothing and every render differs where the chart
        // makes random data. Each such object must be a Secret whose data Argo CD keeps after the first sync.
        Set<String> random = new TreeSet<>();
        for (List<Path> values : List.of(List.of(Chart.values("evaluation")), values("eks", "dev"))) {
            Map<String, JsonNode> first = byName(Chart.renderLayered(values));
            Map<String, JsonNode> second = byName(Chart.renderLayered(values));
            assertEquals(first.keySet(), second.keySet());
            for (String key : first.keySet()) {
                if (!first.get(key).equals(second.get(key))) {
                    random.add(key);
                    JsonNode o = first.get(key);
                    assertEquals("Secret", o.path("kind").asText(), key + " differs between two renders");
                    assertTrue(ignored.contains(o.at("/metadata/name").asText()), key + " is not in ignoreDifferences");
                    String options = o.at("/metadata/annotations").path("argocd.argoproj.io/sync-options").asText();
                    assertTrue(options.contains("Prune=false") && options.contains("Delete=false"), key + ": " + options);
                }
            }
        }
        assertEquals(Set.of("Secret/ai-tools-integrations", "Secret/gateway-bootstrap", "Secret/gateway-signing",
                "Secret/postgresql-credentials", "Secret/service-keys"), random);
    }

    // --- helpers ---

    private static ObjectNode params(String cloud, String env) {
        String chartValues;
        try {
            chartValues = Files.readString(clusterValues(cloud));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ArgoCd.matrix(ArgoCd.cluster(cloud + "-1", cloud, env, chartValues),
                ArgoCd.DIR.resolve("environments/" + env + "/config.yaml"));
    }

    private static Path clusterValues(String cloud) {
        try {
            return Path.of(ArgoCdTest.class.getResource("/argocd/cluster-" + cloud + ".yaml").toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values files the generated Application passes, in its order, then the cluster's own values. */
    private static List<Path> values(String cloud, String env) {
        JsonNode app = ArgoCd.generate(ArgoCd.one("ApplicationSet"), params(cloud, env));
        JsonNode source = app.path("spec").path("source");
        Path chart = existing(source.path("path").asText());
        List<Path> files = new ArrayList<>();
        source.path("helm").path("valueFiles").forEach(v -> files.add(chart.resolve(v.asText()).normalize()));
        files.add(clusterValues(cloud));
        return files;
    }

    /**
     * Whether reading {@code field} hits a key its map does not have (missingkey=error fails there); a step into a
     * scalar (.automated.prune where automated is false) is only reached behind a guard ({{ if .automated }}).
     */
    private static boolean missingKey(JsonNode params, String field) {
        JsonNode node = params;
        for (String step : field.split("\\.")) {
            if (!node.isObject()) {
                return false;
            }
            if (!node.has(step)) {
                return true;
            }
            node = node.get(step);
        }
        return false;
    }

    private static List<String> argoAnnotationProblems(JsonNode o) {
        List<String> problems = new ArrayList<>();
        String what = o.path("kind").asText() + " " + o.at("/metadata/name").asText();
        JsonNode annotations = o.at("/metadata/annotations");
        String wave = annotations.path("argocd.argoproj.io/sync-wave").asText(null);
        if (wave != null && !WAVE.matcher(wave).matches()) {
            problems.add(what + ": sync-wave " + wave + " is not an integer");
        }
        String hooks = annotations.path("argocd.argoproj.io/hook").asText(null);
        if (hooks != null) {
            for (String h : hooks.split(",")) {
                if (!HOOKS.contains(h.trim())) {
                    problems.add(what + ": hook " + h);
                }
            }
        }
        String policies = annotations.path("argocd.argoproj.io/hook-delete-policy").asText(null);
        if (policies != null) {
            for (String p : policies.split(",")) {
                if (!HOOK_DELETE_POLICIES.contains(p.trim())) {
                    problems.add(what + ": hook-delete-policy " + p);
                }
            }
        }
        String options = annotations.path("argocd.argoproj.io/sync-options").asText(null);
        if (options != null) {
            for (String s : options.split(",")) {
                if (!SYNC_OPTIONS.contains(s.trim())) {
                    problems.add(what + ": sync option " + s);
                }
            }
        }
        return problems;
    }

    private static int wave(JsonNode o) {
        return Integer.parseInt(o.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asText("0"));
    }

    private static Path existing(String repoPath) {
        Path p = Chart.REPO.resolve(repoPath).normalize();
        assertTrue(p.startsWith(Chart.REPO) && Files.isDirectory(p), repoPath + " is not a folder of this repository");
        return p;
    }

    private static boolean allowed(JsonNode project, String namespace) {
        for (JsonNode d : project.path("spec").path("destinations")) {
            String allowed = d.path("namespace").asText();
            if (allowed.equals(namespace) || allowed.equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> kinds(JsonNode whitelist) {
        Set<String> kinds = new TreeSet<>();
        whitelist.forEach(k -> kinds.add(k.path("kind").asText()));
        return kinds;
    }

    private static Set<String> names(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length())).toList());
        }
    }

    private static Map<String, JsonNode> byName(List<JsonNode> objects) {
        Map<String, JsonNode> out = new HashMap<>();
        objects.forEach(o -> out.put(o.path("kind").asText() + "/" + o.at("/metadata/name").asText(), o));
        return out;
    }

    private static void strings(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        } else {
            node.forEach(child -> strings(child, out));
        }
    }
}
