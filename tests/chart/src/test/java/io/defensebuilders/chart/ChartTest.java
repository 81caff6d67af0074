package io.defensebuilders.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Helm chart as a platform team installs it: Helm lints and renders it for four value sets, refuses bad values
 * by the schema, and what it renders is valid Kubernetes, follows the fleet's rules and opens exactly the network
 * paths of docs/architecture.md.
 */
class ChartTest {

    private static final List<String> SETS = List.of("external", "evaluation", "production", "gateway-only");
    private static final List<String> FLEET = List.of("gateway", "sdk-registry", "environment-manager", "billing",
            "analytics", "orbital", "inference", "ai-tools");

    @org.junit.jupiter.api.BeforeEach
    void aClusterWithoutTheReleaseYet() {
        FakeApiServer.get().reset();
    }

    @Test
    void anUpgradeKeepsTheSecretsTheFirstInstallMade() {
        FakeApiServer cluster = FakeApiServer.get();
        String kek = Base64.getEncoder().encodeToString(Base64.getEncoder().encode(new byte[32]));
        String key = Base64.getEncoder()
                .encodeToString("dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes());
        cluster.secrets.put("dbp/gateway-signing", Map.of("signing-key-encryption-key", kek));
        cluster.secrets.put("dbp/gateway-bootstrap", Map.of("api-key", key));
        cluster.secrets.put("dbp/ai-tools-integrations", Map.of("secret-encryption-key", kek));
        List<JsonNode> objects = Chart.render(Chart.values("external"));
        assertEquals(kek, Chart.one(objects, "Secret", "ai-tools-integrations").path("data")
                .path("secret-encryption-key").asText());
        assertEquals(kek,
                Chart.one(objects, "Secret", "gateway-signing").path("data").path("signing-key-encryption-key").asText());
        assertEquals(key, Chart.one(objects, "Secret", "gateway-bootstrap").path("data").path("api-key").asText());
        // and a first install makes new ones, different each time
        cluster.reset();
        String first = Chart.one(Chart.render(Chart.values("external")), "Secret", "gateway-bootstrap").toString();
        String second = Chart.one(Chart.render(Chart.values("external")), "Secret", "gateway-bootstrap").toString();
        assertFalse(first.equals(second));
    }

    @Test
    void monitoringObjectsOnlyWhereTheClusterServesThemOrWhenAskedFor() {
        // "auto" looks at .Capabilities.APIVersions: a cluster without the Prometheus operator's kinds gets none
        assertTrue(Chart.ofKind(Chart.render(Chart.values("external")), "ServiceMonitor").isEmpty());
        assertTrue(Chart.ofKind(Chart.render(Chart.values("external")), "PrometheusRule").isEmpty());
        List<JsonNode> objects = Chart.render(Chart.values("external"), "monitoring.serviceMonitor", "true",
                "monitoring.prometheusRule", "true");
        assertEquals(FLEET.size(), Chart.ofKind(objects, "ServiceMonitor").size());
        for (JsonNode sm : Chart.ofKind(objects, "ServiceMonitor")) {
            assertEquals("management", sm.path("spec").path("endpoints").get(0).path("port").asText());
            assertEquals("/q/metrics", sm.path("spec").path("endpoints").get(0).path("path").asText());
        }
        JsonNode rule = Chart.one(objects, "PrometheusRule", "defense-builders");
        assertTrue(rule.toString().contains("dbp_gateway_requests_seconds_count"), "alerts on the gateway's own metric");
    }

    @ParameterizedTest
    @ValueSource(strings = { "external", "evaluation", "production", "gateway-only" })
    void helmLintStrictPasses(String set) {
        var result = Chart.lint(Chart.values(set));
        assertFalse(result.isFailed(), set + ": " + String.join("\n", result.getMessages()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "external", "evaluation", "production", "gateway-only" })
    void everyRenderedObjectIsValidKubernetes(String set) {
        List<JsonNode> objects = Chart.render(Chart.values(set));
        assertFalse(objects.isEmpty());
        List<String> problems = new ArrayList<>();
        for (JsonNode o : objects) {
            problems.addAll(TypedObjects.problems(o));
        }
        assertEquals(List.of(), problems, set);
    }

    @ParameterizedTest
    @ValueSource(strings = { "external", "evaluation", "production", "gateway-only" })
    void everyContainerFollowsTheFleetsRules(String set) {
        List<JsonNode> objects = Chart.render(Chart.values(set));
        List<String> broken = new ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
            for (JsonNode workload : Chart.ofKind(objects, kind)) {
                JsonNode pod = Chart.podSpec(workload);
                String id = kind + "/" + workload.path("metadata").path("name").asText();
                boolean podNonRoot = pod.path("securityContext").path("runAsNonRoot").asBoolean(false);
                for (JsonNode c : pod.path("containers")) {
                    String where = id + "/" + c.path("name").asText();
                    JsonNode res = c.path("resources");
                    if (res.path("requests").path("cpu").isMissingNode() || res.path("requests").path("memory").isMissingNode()
                            || res.path("limits").path("memory").isMissingNode()) {
                        broken.add(where + ": requests (cpu, memory) and a memory limit");
                    }
                    if (!kind.equals("Job")
                            && (c.path("livenessProbe").isMissingNode() || c.path("readinessProbe").isMissingNode())) {
                        broken.add(where + ": liveness and readiness probes");
                    }
                    if (!podNonRoot && !c.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
                        broken.add(where + ": runAsNonRoot");
                    }
                    if (c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)) {
                        broken.add(where + ": allowPrivilegeEscalation false");
                    }
                    String image = c.path("image").asText();
                    if (image.endsWith(":latest") || !(image.contains("@sha256:") || image.matches(".*:[^/]+$"))) {
                        broken.add(where + ": image with a version or digest, not " + image);
                    }
                }
            }
        }
        assertEquals(List.of(), broken, set);
    }

    @Test
    void theFleetRunsWithHardenedPodsProbesOnTheManagementPortAndNoSecretInPlainText() {
        List<JsonNode> objects = Chart.render(Chart.values("external"));
        for (String name : FLEET) {
            JsonNode d = Chart.one(objects, "Deployment", name);
            JsonNode c = Chart.podSpec(d).path("containers").get(0);
            assertEquals("ghcr.io/defense-builders/" + name + ":0.1.0-SNAPSHOT", c.path("image").asText());
            assertTrue(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), name);
            assertEquals("[\"ALL\"]", c.path("securityContext").path("capabilities").path("drop").toString());
            assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("management", c.path("livenessProbe").path("httpGet").path("port").asText());
            assertEquals("/tmp", c.path("volumeMounts").get(0).path("mountPath").asText(), "a writable /tmp");
            Map<String, String> env = Chart.env(c);
            assertEquals("postgresql://dbp.cluster-abc.eu-west-1.rds.amazonaws.com:5432/dbp?sslmode=require",
                    env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
            assertTrue(env.get("QUARKUS_DATASOURCE_PASSWORD").contains("secretKeyRef"), "the password from a Secret");
            assertEquals("false", env.get("QUARKUS_FLYWAY_MIGRATE_AT_START"), "migrations run in the Job");
            assertEquals("http://billing:8080", env.get("BILLING_URL"));
            assertEquals("5s", env.get("QUARKUS_SHUTDOWN_DELAY"));
            assertEquals(name.equals("environment-manager"), Chart.podSpec(d).path("automountServiceAccountToken").asBoolean(),
                    "only the operator talks to the Kubernetes API");
        }
        Map<String, String> gateway = Chart
                .env(Chart.podSpec(Chart.one(objects, "Deployment", "gateway")).path("containers").get(0));
        assertEquals("http://ai-tools:8080", gateway.get("AI_TOOLS_URL"), "the gateway's route to the MCP server");
        Map<String, String> aiTools = Chart
                .env(Chart.podSpec(Chart.one(objects, "Deployment", "ai-tools")).path("containers").get(0));
        for (String s : List.of("sdk-registry", "environment-manager", "billing", "analytics", "orbital", "inference")) {
            assertEquals("http://" + s + ":8080", aiTools.get(s.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL"), s);
        }
        assertEquals("http://gateway:8080", aiTools.get("DBP_GATEWAY_URL"));
        assertTrue(aiTools.get("DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY").contains("ai-tools-integrations"));
        // the tokenizer of "ask the docs" unpacks its native library on a writable path; no language model unless set
        assertEquals("/tmp/djl", aiTools.get("DJL_CACHE_DIR"));
        assertFalse(aiTools.containsKey("DBP_AI_TOOLS_DOCS_EMBEDDINGS_ENABLED"));
        assertFalse(aiTools.containsKey("DBP_AI_TOOLS_DOCS_LLM_URL"));
        Map<String, String> withModel = Chart.env(Chart.podSpec(Chart.one(Chart.render(Chart.values("external"),
                "services.aiTools.docsLanguageModel.url", "https://integrate.api.nvidia.com/v1",
                "services.aiTools.docsLanguageModel.model", "meta/llama-3.1-70b-instruct",
                "services.aiTools.docsLanguageModel.apiKeySecret", "nim-key"), "Deployment", "ai-tools"))
                .path("containers").get(0));
        assertEquals("https://integrate.api.nvidia.com/v1", withModel.get("DBP_AI_TOOLS_DOCS_LLM_URL"));
        assertEquals("meta/llama-3.1-70b-instruct", withModel.get("DBP_AI_TOOLS_DOCS_LLM_MODEL"));
        assertTrue(withModel.get("DBP_AI_TOOLS_DOCS_LLM_API_KEY").contains("nim-key"), "the key from a Secret");
        Exception noModel = assertThrows(Exception.class, () -> Chart.render(Chart.values("external"),
                "services.aiTools.docsLanguageModel.url", "https://integrate.api.nvidia.com/v1"));
        assertTrue(String.valueOf(noModel.getMessage()).contains("model is required"), noModel.getMessage());
        assertEquals(32, Base64.getDecoder().decode(Base64.getDecoder().decode(Chart.one(objects, "Secret",
                "ai-tools-integrations").path("data").path("secret-encryption-key").asText())).length);
        assertTrue(gateway.get("DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY").contains("gateway-signing"));
        assertTrue(gateway.get("DBP_GATEWAY_BOOTSTRAP_KEY").contains("gateway-bootstrap"));

        // the Secrets the release makes: a 256-bit key encryption key, a bootstrap API key in the gateway's format
        byte[] kek = Base64.getDecoder().decode(Base64.getDecoder().decode(
                Chart.one(objects, "Secret", "gateway-signing").path("data").path("signing-key-encryption-key").asText()));
        assertEquals(32, kek.length);
        String key = new String(Base64.getDecoder().decode(
                Chart.one(objects, "Secret", "gateway-bootstrap").path("data").path("api-key").asText()));
        assertTrue(key.matches("dbp_[0-9a-f]{16}_[A-Za-z0-9]{43}"), key);
        String all = objects.toString();
        assertFalse(all.contains(key), "the key appears only base64-encoded in its Secret");
    }

    @Test
    void migrationsRunOnceBeforeTheNewPodsAsHelmAndArgoCdHooks() {
        List<JsonNode> objects = Chart.render(Chart.values("external"));
        List<JsonNode> jobs = Chart.ofKind(objects, "Job");
        Set<String> expected = new TreeSet<>(FLEET.stream().map(n -> n + "-migrate").toList());
        Set<String> names = new TreeSet<>(jobs.stream().map(j -> j.path("metadata").path("name").asText()).toList());
        assertEquals(expected, names);
        for (JsonNode job : jobs) {
            JsonNode a = job.path("metadata").path("annotations");
            assertEquals("pre-install,pre-upgrade", a.path(Chart.HOOK).asText());
            assertEquals("PreSync", a.path("argocd.argoproj.io/hook").asText());
            Map<String, String> env = Chart.env(Chart.podSpec(job).path("containers").get(0));
            assertEquals("true", env.get("QUARKUS_INIT_AND_EXIT"));
            assertEquals("true", env.get("QUARKUS_FLYWAY_MIGRATE_AT_START"));
        }
        // evaluation: PostgreSQL is part of the release, so the services migrate at start (Flyway's lock serializes)
        List<JsonNode> eval = Chart.render(Chart.values("evaluation"));
        assertEquals(List.of(), Chart.ofKind(eval, "Job"));
        assertEquals("true", Chart.env(Chart.podSpec(Chart.one(eval, "Deployment", "billing")).path("containers").get(0))
                .get("QUARKUS_FLYWAY_MIGRATE_AT_START"));
        assertEquals(Set.of("postgresql", "redis", "kafka"), Chart.ofKind(eval, "StatefulSet").stream()
                .map(s -> s.path("metadata").path("name").asText()).collect(Collectors.toSet()));
    }

    @Test
    void productionValuesPinDigestsScaleAndSpreadReplicas() {
        List<JsonNode> objects = Chart.render(Chart.values("production"));
        JsonNode gateway = Chart.one(objects, "Deployment", "gateway");
        assertEquals("registry.example.mil/dbp/gateway@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                Chart.podSpec(gateway).path("containers").get(0).path("image").asText());
        assertTrue(gateway.path("spec").path("replicas").isMissingNode(), "the HPA owns the replica count");
        assertEquals(3, Chart.one(objects, "HorizontalPodAutoscaler", "gateway").path("spec").path("minReplicas").asInt());
        assertEquals("registry.example.mil/dbp/sdk-registry:1.4.2",
                Chart.podSpec(Chart.one(objects, "Deployment", "sdk-registry")).path("containers").get(0).path("image")
                        .asText());
        assertEquals("sdk-artifacts-efs", Chart.podSpec(Chart.one(objects, "Deployment", "sdk-registry")).path("volumes")
                .findValue("claimName").asText());
        JsonNode inference = Chart.podSpec(Chart.one(objects, "Deployment", "inference"));
        assertEquals("models-efs", inference.path("volumes").findValue("claimName").asText());
        assertTrue(inference.path("containers").get(0).path("env").toString()
                .contains("{\"name\":\"INFERENCE_MODEL_PATH\",\"value\":\"/var/lib/dbp/blobs\"}"),
                "the model files are on the claim's mount");
        assertTrue(Chart.ofKind(objects, "PersistentVolumeClaim").isEmpty(), "the existing claims are used");
        // ai-tools keeps nothing per replica: scaled by its HPA, never below two, a PDB over them
        assertTrue(Chart.one(objects, "Deployment", "ai-tools").path("spec").path("replicas").isMissingNode());
        assertEquals(2, Chart.one(objects, "HorizontalPodAutoscaler", "ai-tools").path("spec").path("minReplicas").asInt());
        assertEquals(1, Chart.one(objects, "PodDisruptionBudget", "ai-tools").path("spec").path("minAvailable").asInt());
        // orbital asks the inference service's maneuver classifier unless the release has no inference service
        String modelSwitch = "DBP_ORBITAL_MANEUVERS_MODEL_ENABLED";
        assertFalse(Chart.podSpec(Chart.one(objects, "Deployment", "orbital")).toString().contains(modelSwitch));
        List<JsonNode> withoutInference = Chart.render(Chart.values("external"), "services.inference.enabled", "false");
        assertTrue(Chart.ofKind(withoutInference, "Deployment").stream()
                .noneMatch(d -> d.path("metadata").path("name").asText().equals("inference")));
        assertTrue(Chart.podSpec(Chart.one(withoutInference, "Deployment", "orbital")).toString()
                .contains("{\"name\":\"" + modelSwitch + "\",\"value\":\"false\"}"));
        // ... and the registry its text embedding model for search
        assertTrue(Chart.podSpec(Chart.one(withoutInference, "Deployment", "sdk-registry")).toString()
                .contains("{\"name\":\"DBP_REGISTRY_SEARCH_SEMANTIC_ENABLED\",\"value\":\"false\"}"));
        // ... and ai-tools' "ask the docs" goes by words
        assertEquals("false", Chart.env(Chart.podSpec(Chart.one(withoutInference, "Deployment", "ai-tools"))
                .path("containers").get(0)).get("DBP_AI_TOOLS_DOCS_EMBEDDINGS_ENABLED"));
        assertFalse(Chart.podSpec(Chart.one(objects, "Deployment", "sdk-registry")).toString()
                .contains("DBP_REGISTRY_SEARCH_SEMANTIC_ENABLED"));
        // every Deployment with more than one replica is covered by a PodDisruptionBudget, and spread over nodes
        for (JsonNode d : Chart.ofKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            int replicas = d.path("spec").path("replicas").asInt(3);
            if (replicas > 1) {
                JsonNode pdb = Chart.one(objects, "PodDisruptionBudget", name);
                assertEquals(d.path("spec").path("selector"), pdb.path("spec").path("selector"), name);
                assertFalse(Chart.podSpec(d).path("affinity").path("podAntiAffinity").isMissingNode(), name);
            }
        }
        Map<String, String> env = Chart.env(Chart.podSpec(gateway).path("containers").get(0));
        assertEquals("60s", env.get("DBP_GATEWAY_TOKEN_TTL"));
        assertEquals("true", env.get("DBP_GATEWAY_RATE_LIMIT_ENABLED"));
        assertEquals("jdbc:postgresql://dbp.postgres.database.azure.com:5432/dbp?sslmode=verify-full",
                env.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertTrue(Chart.podSpec(gateway).path("containers").get(0).path("envFrom").toString().contains("dbp-kafka-sasl"));
        assertTrue(env.get("DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY").contains("gateway-signing-kms"));
        assertTrue(Chart.env(Chart.podSpec(Chart.one(objects, "Deployment", "ai-tools")).path("containers").get(0))
                .get("DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY").contains("ai-tools-integrations-kms"));
        assertTrue(Chart.ofKind(objects, "Secret").isEmpty(), "named Secrets are used, none made");
        JsonNode ingress = Chart.one(objects, "Ingress", "gateway");
        assertEquals("api-dbp-tls", ingress.path("spec").path("tls").get(0).path("secretName").asText());
        assertEquals(FLEET.size(), Chart.ofKind(objects, "ServiceMonitor").size());
        assertEquals(1, Chart.ofKind(objects, "PrometheusRule").size());
    }

    @Test
    void theGatewayAloneOnGatewayApi() {
        List<JsonNode> objects = Chart.render(Chart.values("gateway-only"));
        assertEquals(List.of("gateway"), Chart.ofKind(objects, "Deployment").stream()
                .map(d -> d.path("metadata").path("name").asText()).toList());
        JsonNode route = Chart.one(objects, "HTTPRoute", "gateway");
        assertEquals("public", route.path("spec").path("parentRefs").get(0).path("name").asText());
        assertTrue(Chart.ofKind(objects, "Ingress").isEmpty());
        assertTrue(Chart.ofKind(objects, "ClusterRole").isEmpty(), "no operator, no cluster-wide rights");
        assertTrue(Chart.ofKind(objects, "Role").isEmpty(), "no operator, no Lease to elect it");
        assertTrue(Chart.ofKind(objects, "ConfigMap").isEmpty(), "dashboards off");
    }

    @Test
    void networkPoliciesOpenExactlyTheFleetsEdges() {
        List<JsonNode> objects = Chart.render(Chart.values("production"));
        Set<String> edges = new TreeSet<>();
        for (JsonNode policy : Chart.ofKind(objects, "NetworkPolicy")) {
            String to = policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText();
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                for (JsonNode from : rule.path("from")) {
                    String source = from.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText("");
                    if (!source.isEmpty()) {
                        edges.add(source + " -> " + to + ":" + rule.path("ports").get(0).path("port").asInt());
                    }
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String s : FLEET) {
            if (!s.equals("gateway")) {
                expected.add("gateway -> " + s + ":8080"); // routes
                expected.add(s + " -> gateway:8080"); // JWKS
            }
        }
        expected.add("environment-manager -> sdk-registry:8080"); // gRPC ResolveSdk
        expected.add("environment-manager -> billing:8080"); // gRPC Entitlements.Check
        expected.add("inference -> billing:8080"); // gRPC Entitlements.Check (inferenceCallsPerMonth)
        expected.add("orbital -> inference:8080"); // gRPC ModelInfer (the maneuver classifier)
        expected.add("sdk-registry -> inference:8080"); // gRPC ModelInfer (the text embedding model, search)
        for (String s : List.of("sdk-registry", "environment-manager", "billing", "analytics", "orbital", "inference")) {
            expected.add("ai-tools -> " + s + ":8080"); // the MCP tools call their REST APIs as the caller
        }
        assertEquals(expected, edges);
        // the same edges leave the callers: each pair also allowed as egress
        for (String edge : expected) {
            String from = edge.substring(0, edge.indexOf(" ->"));
            String to = edge.substring(edge.indexOf("> ") + 2, edge.indexOf(':'));
            JsonNode egress = Chart.one(objects, "NetworkPolicy", from).path("spec").path("egress");
            assertTrue(egress.toString().contains("\"app.kubernetes.io/name\":\"" + to + "\""), edge + " as egress");
        }
        JsonNode deny = Chart.one(objects, "NetworkPolicy", "default-deny");
        assertEquals("[\"Ingress\",\"Egress\"]", deny.path("spec").path("policyTypes").toString());
        assertTrue(Chart.one(objects, "NetworkPolicy", "data-services").toString().contains("10.20.0.0/16"));
        // only ai-tools goes out to the internet (GitHub, Slack, Teams, webhooks), on 443, never to private ranges
        for (JsonNode policy : Chart.ofKind(objects, "NetworkPolicy")) {
            boolean out = policy.path("spec").path("egress").toString().contains("0.0.0.0/0");
            assertEquals(policy.path("metadata").path("name").asText().equals("ai-tools"), out,
                    policy.path("metadata").path("name").asText());
        }
        JsonNode way = null;
        for (JsonNode rule : Chart.one(objects, "NetworkPolicy", "ai-tools").path("spec").path("egress")) {
            if (rule.toString().contains("0.0.0.0/0")) {
                way = rule;
            }
        }
        assertEquals("[{\"protocol\":\"TCP\",\"port\":443}]", way.path("ports").toString());
        assertTrue(way.path("to").get(0).path("ipBlock").path("except").toString().contains("169.254.0.0/16"));
    }

    @Test
    void dashboardsShipAsConfigMapsForTheGrafanaSidecar() throws Exception {
        List<JsonNode> objects = Chart.render(Chart.values("external"));
        List<String> dashboards;
        try (var files = Files.list(Chart.REPO.resolve("deploy/grafana/dashboards"))) {
            dashboards = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                    .map(f -> f.substring(0, f.length() - 5)).sorted().toList();
        }
        assertTrue(dashboards.size() >= 10, dashboards.toString());
        for (String dashboard : dashboards) {
            JsonNode cm = Chart.one(objects, "ConfigMap", "dashboard-" + dashboard);
            assertEquals("1", cm.path("metadata").path("labels").path("grafana_dashboard").asText());
            assertEquals(
                    Chart.YAML
                            .readTree(Files.readString(Chart.REPO.resolve("deploy/grafana/dashboards/" + dashboard + ".json"))),
                    Chart.YAML.readTree(cm.path("data").path(dashboard + ".json").asText()));
        }
    }

    @Test
    void theEnvironmentCrdShipsWithTheChart() throws Exception {
        // crds/ holds the CRD that services/environment-manager generates (CrdYamlTest keeps it current): the same file
        Path crd = Chart.DIR.resolve("crds/environments.environments.defensebuilders.io-v1.yml");
        assertEquals(Chart.REPO.resolve("deploy/k8s/crds/environments.environments.defensebuilders.io-v1.yml").toRealPath(),
                crd.toRealPath());
        JsonNode parsed = Chart.documents(Files.readString(crd)).get(0);
        assertEquals(List.of(), TypedObjects.problems(parsed));
        assertEquals("Environment", parsed.path("spec").path("names").path("kind").asText());
    }

    @Test
    void theGatewayTrustsTheConfiguredIdentityProvidersAndReachesThem() throws Exception {
        List<JsonNode> objects = Chart.render(Chart.values("production"));
        Properties p = new Properties();
        p.load(new StringReader(Chart.one(objects, "ConfigMap", "gateway-identity").path("data")
                .path("identity.properties").asText()));

        assertEquals("true", p.get("quarkus.oidc.resolve-tenants-with-issuer"));
        assertEquals("https://sso.dbp.example.mil/realms/defense-builders", p.get("quarkus.oidc.keycloak.auth-server-url"));
        assertEquals("service", p.get("quarkus.oidc.keycloak.application-type"));
        assertEquals("dbp-gateway", p.get("quarkus.oidc.keycloak.token.audience"));
        assertEquals("tenant", p.get("dbp.gateway.idp.keycloak.tenant-claim"));
        assertEquals("groups", p.get("dbp.gateway.idp.keycloak.roles-claim"));
        assertEquals("admin", p.get("dbp.gateway.idp.keycloak.role-map.\"dbp-admins\""));
        assertEquals("partner", p.get("dbp.gateway.idp.entra.tenant"));
        assertEquals("builder", p.get("dbp.gateway.idp.entra.role-map.\"6d3c1a52-0b5e-4b8e-9a4f-2f4f1d2c9e11\""));
        assertEquals("roles", p.get("dbp.gateway.idp.okta.roles-claim"), "the default");
        assertEquals("acme,globex", p.get("dbp.gateway.idp.okta.tenants"));
        // group names keep their spaces, dots and the properties format's own characters
        assertEquals("admin", p.get("dbp.gateway.idp.okta.role-map.\"DBP Admins\""));
        assertEquals("publisher", p.get("dbp.gateway.idp.okta.role-map.\"dbp.publishers\""));
        assertEquals("viewer", p.get("dbp.gateway.idp.okta.role-map.\"ops=on:call#1\""));
        assertEquals("5f1c0ffee0a1b2c3d4e5f6a7b8", p.get("quarkus.oidc.cognito.token.required-claims.\"client_id\""));
        assertEquals(null, p.get("quarkus.oidc.cognito.token.audience"));
        assertEquals("cognito:groups", p.get("dbp.gateway.idp.cognito.roles-claim"));
        assertEquals(35, p.size(), p.toString());

        JsonNode pod = Chart.one(objects, "Deployment", "gateway").path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        assertTrue(container.path("env").toString().contains(
                "{\"name\":\"QUARKUS_CONFIG_LOCATIONS\",\"value\":\"/etc/dbp/identity/identity.properties\"}"));
        assertTrue(container.path("volumeMounts").toString().contains("\"mountPath\":\"/etc/dbp/identity\""));
        assertTrue(pod.path("spec").path("volumes").toString().contains("\"configMap\":{\"name\":\"gateway-identity\"}"));
        assertTrue(pod.path("metadata").path("annotations").has("checksum/identity"), "a change rolls the pods");
        assertFalse(Chart.one(objects, "Deployment", "billing").toString().contains("identity"), "the gateway's alone");

        // out to the providers' ports, and only to their CIDRs
        JsonNode egress = Chart.one(objects, "NetworkPolicy", "gateway").path("spec").path("egress");
        JsonNode toProviders = null;
        for (JsonNode rule : egress) {
            if (rule.toString().contains("20.190.128.0/18")) {
                toProviders = rule;
            }
        }
        assertNotNull(toProviders, egress.toString());
        assertEquals("[{\"protocol\":\"TCP\",\"port\":443},{\"protocol\":\"TCP\",\"port\":8443}]",
                toProviders.path("ports").toString());
        assertEquals(2, toProviders.path("to").size());

        // none configured: nothing of it
        List<JsonNode> plain = Chart.render(Chart.values("external"));
        assertTrue(Chart.ofKind(plain, "ConfigMap").stream()
                .noneMatch(c -> c.path("metadata").path("name").asText().equals("gateway-identity")));
        assertFalse(Chart.one(plain, "Deployment", "gateway").toString().contains("QUARKUS_CONFIG_LOCATIONS"));
    }

    @Test
    void badValuesAreRefusedBeforeAnythingIsRendered() {
        Path external = Chart.values("external");
        Map<String, Object[]> bad = new java.util.LinkedHashMap<>();
        bad.put("an unknown key", new Object[] { "services.gateway.replica", "2" });
        bad.put("an unknown service", new Object[] { "services.inferrence.enabled", "true" });
        bad.put("negative replicas", new Object[] { "services.billing.replicas", "-1" });
        bad.put("a tag of latest", new Object[] { "services.billing.image.tag", "latest" });
        bad.put("a digest that is none", new Object[] { "services.billing.image.digest", "sha256:abc" });
        bad.put("an sslmode PostgreSQL lacks", new Object[] { "postgresql.sslmode", "on" });
        bad.put("a root pod", new Object[] { "common.podSecurityContext.runAsNonRoot", "false" });
        bad.put("Ingress and HTTPRoute at once", new Object[] { "ingress.enabled", "true", "httpRoute.enabled", "true",
                "httpRoute.parentRefs[0].name", "x" });
        bad.put("a Kafka address without a port", new Object[] { "kafka.bootstrapServers", "kafka" });
        bad.put("a pull policy Kubernetes lacks", new Object[] { "image.pullPolicy", "Sometimes" });
        bad.put("an identity provider without an issuer", new Object[] { "identityProviders[0].name", "sso" });
        bad.put("an identity provider name with capitals", new Object[] { "identityProviders[0].name", "SSO",
                "identityProviders[0].issuer", "https://sso.example.com" });
        bad.put("a group mapped to a role the platform lacks", new Object[] { "identityProviders[0].name", "sso",
                "identityProviders[0].issuer", "https://sso.example.com", "identityProviders[0].roleMap.ops", "owner" });
        bad.put("an issuer that is no URL", new Object[] { "identityProviders[0].name", "sso",
                "identityProviders[0].issuer", "sso.example.com" });
        bad.forEach((what, sets) -> {
            Exception e = assertThrows(Exception.class, () -> Chart.render(external, sets), what);
            assertTrue(String.valueOf(e.getMessage()).contains("values don't meet the specifications of the schema"),
                    what + ": " + e.getMessage());
        });
        // required settings name themselves
        Exception missing = assertThrows(Exception.class, () -> Chart.render(null));
        assertTrue(missing.getMessage().contains("postgresql.host is required"), missing.getMessage());
    }

    @Test
    void eachServiceThatMintsTokensGetsItsOwnKeyAndTheGatewayAllOfThem() {
        List<JsonNode> objects = Chart.render(Chart.values("external"));
        JsonNode secret = Chart.one(objects, "Secret", "service-keys");
        Map<String, String> env = Map.of("orbital", "DBP_ORBITAL_MANEUVERS_MODEL_GATEWAY_API_KEY",
                "environment-manager", "DBP_ENVIRONMENTS_REGISTRY_GATEWAY_API_KEY",
                "sdk-registry", "DBP_REGISTRY_SEARCH_SEMANTIC_GATEWAY_API_KEY",
                "ai-tools", "DBP_AI_TOOLS_INTEGRATIONS_GATEWAY_API_KEY");
        Set<String> keys = new java.util.HashSet<>();
        env.forEach((service, variable) -> {
            String key = new String(java.util.Base64.getDecoder().decode(secret.path("data").path(service).asText()),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(key.matches("dbp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), service + "'s key is an API key");
            keys.add(key);
            JsonNode ref = null;
            for (JsonNode e : Chart.podSpec(Chart.one(objects, "Deployment", service)).path("containers").get(0)
                    .path("env")) {
                if (e.path("name").asText().equals(variable)) {
                    ref = e.path("valueFrom").path("secretKeyRef");
                }
            }
            assertNotNull(ref, service + " gets " + variable);
            assertEquals("service-keys", ref.path("name").asText());
            assertEquals(service, ref.path("key").asText(), "its own key, not another service's");
        });
        assertEquals(4, keys.size(), "four different keys");
        JsonNode gateway = Chart.podSpec(Chart.one(objects, "Deployment", "gateway"));
        assertTrue(gateway.path("volumes").toString()
                .contains("{\"name\":\"service-keys\",\"secret\":{\"secretName\":\"service-keys\"}}"));
        assertTrue(gateway.path("containers").get(0).path("env").toString()
                .contains("{\"name\":\"DBP_GATEWAY_BOOTSTRAP_SERVICE_KEYS_DIR\",\"value\":\"/etc/dbp/service-keys\"}"));
        // a named Secret instead of a generated one
        List<JsonNode> named = Chart.render(Chart.values("production"));
        assertTrue(Chart.podSpec(Chart.one(named, "Deployment", "gateway")).path("volumes").toString()
                .contains("\"secretName\":\"service-keys-sealed\""));
        assertTrue(Chart.podSpec(Chart.one(named, "Deployment", "sdk-registry")).toString()
                .contains("\"name\":\"service-keys-sealed\""));
        // no other service holds a key
        for (JsonNode d : Chart.ofKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            if (!env.containsKey(name) && !name.equals("gateway")) {
                assertFalse(Chart.podSpec(d).toString().contains("\"service-keys\""), name + " holds no service key");
            }
        }
    }
}
