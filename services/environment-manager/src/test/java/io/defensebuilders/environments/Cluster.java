package io.defensebuilders.environments;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

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
        AtomicReference<T> last = new AtomicReference<>();
        try {
            // polled on the test's own thread from the first moment: some phases last only a few retries (Failed
            // while the registry is down is gone in about 100 ms), and a poller thread's start can miss them
            return Awaitility.await(what).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(RuntimeException.class).until(() -> {
                        last.set(value.get());
                        return last.get();
                    }, v -> v != null && !Objects.equals(v, Boolean.FALSE));
        } catch (ConditionTimeoutException e) {
            return fail("timed out waiting for " + what + " (last: " + last.get() + ")");
        }
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
