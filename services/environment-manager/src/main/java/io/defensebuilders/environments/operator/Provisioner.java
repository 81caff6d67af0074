package io.defensebuilders.environments.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.grpc.Resolution;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Makes an environment's namespace hold exactly its desired objects (creating, repairing and pruning), and reads back
 * which of its SDK workloads are not up yet.
 */
final class Provisioner {

    private final KubernetesClient client;
    private final Applier applier;

    Provisioner(KubernetesClient client, boolean serverSideApply) {
        this.client = client;
        this.applier = new Applier(client, serverSideApply);
    }

    /** Why the environment's namespace cannot be used: it exists and belongs to something else. */
    Optional<String> namespaceTaken(Environment env) {
        Namespace existing = client.namespaces().withName(env.namespace()).get();
        if (existing != null && !env.getMetadata().getName().equals(Labels.get(existing, Labels.ENVIRONMENT))) {
            return Optional.of("namespace " + env.namespace() + " exists and does not belong to this environment");
        }
        return Optional.empty();
    }

    /** Applies every desired object; how many were created or repaired. */
    int apply(List<HasMetadata> desired) {
        int changed = 0;
        for (HasMetadata object : desired) {
            if (applier.apply(object) != Applier.Change.NONE) {
                changed++;
            }
        }
        return changed;
    }

    /** Deletes workloads and network policies the spec no longer asks for (volumes are kept: they hold data). */
    void prune(Environment env, List<HasMetadata> desired) {
        Set<String> wanted = desired.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .collect(Collectors.toSet());
        Map<String, String> selector = Map.of(Labels.ENVIRONMENT, env.getMetadata().getName());
        String ns = env.namespace();
        List<HasMetadata> existing = new ArrayList<>();
        existing.addAll(client.apps().deployments().inNamespace(ns).withLabels(selector).list().getItems());
        existing.addAll(client.services().inNamespace(ns).withLabels(selector).list().getItems());
        existing.addAll(client.network().v1().networkPolicies().inNamespace(ns).withLabels(selector).list().getItems());
        for (HasMetadata o : existing) {
            if (!wanted.contains(o.getKind() + "/" + o.getMetadata().getName())) {
                client.resource(o).delete();
            }
        }
    }

    /** The SDKs whose Deployment has no available replica yet, in the order given. */
    List<String> waitingFor(Environment env, List<Resolution> sdks) {
        List<String> waiting = new ArrayList<>();
        for (Resolution sdk : sdks) {
            Deployment d = client.apps().deployments().inNamespace(env.namespace())
                    .withName(DesiredState.workloadName(sdk.name())).get();
            int available = d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
                    : d.getStatus().getAvailableReplicas();
            if (available < 1) {
                waiting.add(sdk.name());
            }
        }
        return waiting;
    }

    /** The in-cluster URLs of the desired Services' ports. */
    static List<EnvironmentStatus.Endpoint> endpoints(List<HasMetadata> desired) {
        List<EnvironmentStatus.Endpoint> out = new ArrayList<>();
        for (HasMetadata o : desired) {
            if (o instanceof Service s) {
                String sdk = s.getMetadata().getName();
                s.getSpec().getPorts().forEach(p -> out.add(new EnvironmentStatus.Endpoint(sdk.substring(4), p.getName(),
                        (p.getProtocol().equals("UDP") ? "udp://" : "tcp://") + sdk + "." + s.getMetadata().getNamespace()
                                + ".svc:" + p.getPort())));
            }
        }
        return out;
    }
}
