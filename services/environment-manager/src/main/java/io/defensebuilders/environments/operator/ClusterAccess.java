package io.defensebuilders.environments.operator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;

/**
 * Whether a Kubernetes cluster is configured. Without one (a laptop running {@code ./platform up}) the service
 * starts and is ready, the operator stays idle and the REST API answers 503: nothing waits for a cluster.
 */
@ApplicationScoped
public class ClusterAccess {

    private final boolean configured;
    private final String reason;

    public ClusterAccess(EnvironmentsConfig config,
            @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url") Optional<String> apiServer) {
        String mode = config.operator().enabled();
        if (mode.equals("true")) {
            configured = true;
            reason = "enabled by configuration";
        } else if (mode.equals("false")) {
            configured = false;
            reason = "disabled by configuration (dbp.environments.operator.enabled=false)";
        } else if (apiServer.isPresent() && !apiServer.get().isBlank()) {
            configured = true;
            reason = "quarkus.kubernetes-client.api-server-url";
        } else if (System.getenv("KUBERNETES_MASTER") != null || System.getProperty("kubernetes.master") != null) {
            configured = true;
            reason = "KUBERNETES_MASTER / kubernetes.master";
        } else if (Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"))) {
            configured = true;
            reason = "in-cluster service account";
        } else if (kubeconfig().isPresent()) {
            configured = true;
            reason = "kubeconfig " + kubeconfig().get();
        } else {
            configured = false;
            reason = "no kubeconfig, KUBERNETES_MASTER, in-cluster service account or api-server-url";
        }
    }

    private static Optional<Path> kubeconfig() {
        String env = System.getenv("KUBECONFIG");
        Path path = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
                : Path.of(System.getProperty("user.home"), ".kube", "config");
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    public boolean configured() {
        return configured;
    }

    /** How the decision was made, for the health check and the log. */
    public String reason() {
        return reason;
    }

    /** Throws the 503 problem the REST API answers when there is no cluster. */
    public void require() {
        if (!configured) {
            throw new ProblemException(ProblemType.UNAVAILABLE.status(), "no-cluster", "No Kubernetes cluster",
                    "no Kubernetes cluster is configured for the environment manager (" + reason + ")", null);
        }
    }
}
