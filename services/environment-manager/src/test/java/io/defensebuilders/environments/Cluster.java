package io.defensebuilders.environments;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.defensebuilders.environments.operator.DesiredState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Test helpers over the mock cluster: create environments, wait for the operator, play the kubelet. */
final class Cluster {

    private Cluster() {
    }

    static Environment environment(String name, String tenant, EnvironmentSpec.SdkRef... sdks) {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName(name).build());
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tenant = tenant;
        spec.owner = "alice";
        spec.sdks = new java.util.ArrayList<>(List.of(sdks));
        env.setSpec(spec);
        return env;
    }

    static EnvironmentSpec.SdkRef sdk(String name, String version) {
        return new EnvironmentSpec.SdkRef(name, version);
    }

    /** Waits until {@code value} gives something non-null and not false; fails with {@code what} otherwise. */
    static <T> T await(String what, Duration timeout, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.get();
                if (last != null && !Objects.equals(last, Boolean.FALSE)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("timed out waiting for " + what + " (last: " + last + ")");
        return null;
    }

    static <T> T await(String what, Supplier<T> value) {
        return await(what, Duration.ofSeconds(20), value);
    }

    /** Edits an Environment as kubectl edit does, retrying when the operator wrote in between (409). */
    static void edit(KubernetesClient client, String name, java.util.function.Consumer<Environment> change) {
        for (int attempt = 0;; attempt++) {
            try {
                client.resources(Environment.class).withName(name).edit(e -> {
                    change.accept(e);
                    return e;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 20) {
                    throw e;
                }
            }
        }
    }

    static Environment get(KubernetesClient client, String name) {
        return client.resources(Environment.class).withName(name).get();
    }

    static Phase phase(KubernetesClient client, String name) {
        Environment env = get(client, name);
        return env == null || env.getStatus() == null ? null : env.getStatus().phase();
    }

    static Environment awaitPhase(KubernetesClient client, String name, Phase phase) {
        return await(name + " in phase " + phase, () -> {
            Environment env = get(client, name);
            return env != null && env.getStatus() != null && env.getStatus().is(phase) ? env : null;
        });
    }

    /** Plays the Deployment controller and kubelet: the SDK's pod is up and ready. */
    static void markAvailable(KubernetesClient client, String env, String sdk) {
        String ns = Environment.namespaceOf(env);
        String name = DesiredState.workloadName(sdk);
        Deployment d = await("deployment " + name, () -> client.apps().deployments().inNamespace(ns).withName(name)
                .get());
        client.apps().deployments().inNamespace(ns).resource(d).editStatus(x -> {
            x.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1)
                    .withReadyReplicas(1).withAvailableReplicas(1).build());
            return x;
        });
    }
}
