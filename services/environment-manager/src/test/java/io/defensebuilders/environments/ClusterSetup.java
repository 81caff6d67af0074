package io.defensebuilders.environments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * Prepares the mock API server as a cluster would be: the committed CRD installed (so the status subresource
 * behaves), and the TokenRequest API answered for the kubeconfig test's environment.
 */
public class ClusterSetup implements Consumer<KubernetesServer> {

    public static final String KUBECONFIG_ENV = "kcfg-test";
    public static final String KUBECONFIG_TENANT = "kcfg-tenant";
    public static final String ISSUED_TOKEN = "eyJ.test-service-account-token.sig";

    @Override
    public void accept(KubernetesServer server) {
        try (InputStream in = Files.newInputStream(CrdYamlTest.DEPLOY.resolve("crds").resolve(CrdYamlTest.CRD_FILE))) {
            CustomResourceDefinition crd = server.getClient().getKubernetesSerialization().unmarshal(in,
                    CustomResourceDefinition.class);
            server.getClient().apiextensions().v1().customResourceDefinitions().resource(crd).create();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.expect().post().withPath("/api/v1/namespaces/env-" + Environment.resourceName(KUBECONFIG_TENANT, KUBECONFIG_ENV)
                + "/serviceaccounts/owner/token")
                .andReturn(201, new TokenRequestBuilder().withNewStatus().withToken(ISSUED_TOKEN)
                        .withExpirationTimestamp("2030-01-01T00:00:00Z").endStatus().build())
                .always();
    }
}
