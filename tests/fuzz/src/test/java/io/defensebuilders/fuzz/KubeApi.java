package io.defensebuilders.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * A Kubernetes API server for environment-manager: fabric8's mock in CRUD mode, in this JVM, with the committed
 * Environment CRD installed (so the status subresource behaves as in a cluster) and the TokenRequest API answered
 * for every environment's {@code owner} ServiceAccount (the kubeconfig endpoint asks it), and the operator's question
 * whether it may hold its leader-election Lease answered yes. It does not speak server-side apply (415), which the
 * operator uses for its finalizer in the production profile: reconciles fail there and are retried; the fuzz calls
 * the REST API only.
 */
final class KubeApi implements AutoCloseable {

    private static final Pattern TOKEN_REQUEST = Pattern.compile("/api/v1/namespaces/[^/]+/serviceaccounts/owner/token");

    private final KubernetesMockServer server;

    private KubeApi(KubernetesMockServer server) {
        this.server = server;
    }

    static KubeApi start(Path repo) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        Dispatcher crud = new KubernetesMixedDispatcher(expectations);
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath() == null ? "" : request.getPath().replaceFirst("\\?.*", "");
                if ("POST".equals(request.getMethod()) && TOKEN_REQUEST.matcher(path).matches()) {
                    return new MockResponse().setResponseCode(201).addHeader("Content-Type", "application/json")
                            .setBody("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                                    + "\"spec\":{\"audiences\":[]},\"status\":{\"token\":\"eyJ.fuzz-sa-token.sig\","
                                    + "\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}}");
                }
                if ("POST".equals(request.getMethod())
                        && "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews".equals(path)) {
                    // the operator asks whether it may hold its leader-election Lease (the chart's Role grants it)
                    return new MockResponse().setResponseCode(201).addHeader("Content-Type", "application/json")
                            .setBody("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                                    + "\"metadata\":{},\"spec\":{\"namespace\":\"default\"},\"status\":{\"incomplete\":false,"
                                    + "\"nonResourceRules\":[],\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],"
                                    + "\"resources\":[\"leases\"],\"verbs\":[\"get\",\"create\",\"update\"]}]}}");
                }
                return crud.dispatch(request);
            }
        };
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (NamespacedKubernetesClient client = server.createClient();
                InputStream in = Files.newInputStream(
                        repo.resolve("deploy/k8s/crds/environments.environments.defensebuilders.io-v1.yml"))) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        } catch (IOException e) {
            server.destroy();
            throw new IllegalStateException("could not install the Environment CRD", e);
        }
        return new KubeApi(server);
    }

    /** The API server's URL, for {@code quarkus.kubernetes-client.api-server-url}. */
    String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
