package io.defensebuilders.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The little of a Kubernetes API server that {@code helm template} asks (helm-java renders like {@code helm install
 * --dry-run=server}): discovery of the API groups (what {@code .Capabilities.APIVersions} sees) and reads of
 * Secrets (what {@code lookup} sees). Tests choose which groups the cluster serves and which Secrets exist, to render
 * the chart as for a first install or an upgrade. Reached through the kubeconfig file surefire points KUBECONFIG at.
 */
final class FakeApiServer {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static FakeApiServer running;

    /** API groups (group/version) served besides the built-in ones. */
    final Set<String> extraGroups = ConcurrentHashMap.newKeySet();
    /** Secrets by namespace/name: their data (base64 values). */
    final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    private final HttpServer server;

    private FakeApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The one server of this JVM, with KUBECONFIG's file written to point at it. */
    static synchronized FakeApiServer get() {
        if (running == null) {
            try {
                running = new FakeApiServer();
                Path kubeconfig = Path.of(System.getenv("KUBECONFIG"));
                Files.createDirectories(kubeconfig.getParent());
                Files.writeString(kubeconfig, """
                        apiVersion: v1
                        kind: Config
                        clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
                        users: [{name: fake, user: {token: fake}}]
                        contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: dbp}}]
                        current-context: fake
                        """.formatted(running.server.getAddress().getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return running;
    }

    /** Back to a cluster without extra groups or Secrets. */
    void reset() {
        extraGroups.clear();
        secrets.clear();
    }

    private static final Map<String, String[]> BUILT_IN = Map.of(
            "v1", new String[] { "Secret:secrets", "ConfigMap:configmaps", "Service:services",
                    "ServiceAccount:serviceaccounts", "PersistentVolumeClaim:persistentvolumeclaims" },
            "apps/v1", new String[] { "Deployment:deployments", "StatefulSet:statefulsets" },
            "batch/v1", new String[] { "Job:jobs" },
            "policy/v1", new String[] { "PodDisruptionBudget:poddisruptionbudgets" },
            "autoscaling/v2", new String[] { "HorizontalPodAutoscaler:horizontalpodautoscalers" },
            "networking.k8s.io/v1", new String[] { "NetworkPolicy:networkpolicies", "Ingress:ingresses" },
            "rbac.authorization.k8s.io/v1",
            new String[] { "ClusterRole:clusterroles", "ClusterRoleBinding:clusterrolebindings" },
            "apiextensions.k8s.io/v1", new String[] { "CustomResourceDefinition:customresourcedefinitions" });

    private static final Map<String, String[]> OPTIONAL = Map.of(
            "monitoring.coreos.com/v1", new String[] { "ServiceMonitor:servicemonitors", "PrometheusRule:prometheusrules" },
            "gateway.networking.k8s.io/v1", new String[] { "HTTPRoute:httproutes" });

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        ObjectNode body;
        int status = 200;
        if (path.equals("/version")) {
            body = JSON.objectNode().put("major", "1").put("minor", "31").put("gitVersion", "v1.31.0");
        } else if (path.equals("/api")) {
            body = JSON.objectNode().put("kind", "APIVersions");
            body.putArray("versions").add("v1");
        } else if (path.equals("/apis")) {
            body = JSON.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = body.putArray("groups");
            served().keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> {
                String group = gv.substring(0, gv.indexOf('/'));
                ObjectNode version = JSON.objectNode().put("groupVersion", gv).put("version", gv.substring(group.length() + 1));
                ObjectNode g = groups.addObject().put("name", group);
                g.putArray("versions").add(version);
                g.set("preferredVersion", version);
            });
        } else if (path.startsWith("/api/v1/namespaces/") && path.contains("/secrets/")) {
            String[] parts = path.split("/");
            Map<String, String> data = secrets.get(parts[4] + "/" + parts[6]);
            if (data == null) {
                status = 404;
                body = JSON.objectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                        .put("reason", "NotFound").put("code", 404);
            } else {
                body = JSON.objectNode().put("kind", "Secret").put("apiVersion", "v1");
                body.putObject("metadata").put("name", parts[6]).put("namespace", parts[4]);
                ObjectNode d = body.putObject("data");
                data.forEach(d::put);
            }
        } else {
            String gv = path.equals("/api/v1") ? "v1" : path.startsWith("/apis/") ? path.substring("/apis/".length()) : null;
            String[] resources = gv == null ? null : served().get(gv);
            if (resources == null) {
                status = 404;
                body = JSON.objectNode().put("kind", "Status").put("code", 404);
            } else {
                body = JSON.objectNode().put("kind", "APIResourceList").put("groupVersion", gv);
                ArrayNode list = body.putArray("resources");
                for (String r : resources) {
                    ObjectNode res = list.addObject().put("name", r.split(":")[1]).put("kind", r.split(":")[0])
                            .put("namespaced", !r.startsWith("Cluster") && !r.startsWith("CustomResourceDefinition"))
                            .put("singularName", "");
                    res.putArray("verbs").add("get").add("list").add("create");
                }
            }
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Map<String, String[]> served() {
        Map<String, String[]> all = new java.util.TreeMap<>(BUILT_IN);
        extraGroups.forEach(g -> all.put(g, OPTIONAL.get(g)));
        return all;
    }
}
