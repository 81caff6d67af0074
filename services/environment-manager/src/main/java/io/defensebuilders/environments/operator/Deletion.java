package io.defensebuilders.environments.operator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.environments.messaging.EnvironmentEvents;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * An Environment's end: the cleanup that runs while the finalizer holds the resource (the operator SDK adds and
 * releases it), and the deletion the operator itself starts (ttl, sleep retention) with the reason recorded.
 */
final class Deletion {

    private static final Logger LOG = Logger.getLogger(Deletion.class);

    private final KubernetesClient client;
    private final EnvironmentEvents events;
    private final SdkPinning pinning;

    Deletion(KubernetesClient client, EnvironmentEvents events, SdkPinning pinning) {
        this.client = client;
        this.events = events;
        this.pinning = pinning;
    }

    /** Deletes the Environment, recording {@code reason} for the deleted event. */
    void delete(Environment env, String reason) {
        LOG.infof("deleting environment %s: %s", env.getMetadata().getName(), reason);
        client.resource(env).edit(e -> {
            if (e.getMetadata().getAnnotations() == null) {
                e.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            e.getMetadata().getAnnotations().put(Labels.DELETION_REASON, reason);
            return e;
        });
        client.resources(Environment.class).withName(env.getMetadata().getName()).delete();
    }

    /** A deleted Environment: count the last minutes, remove every object, emit the event (the finalizer is the SDK's). */
    void cleanUp(Environment env, Instant now) {
        if (!env.getFinalizers().contains(Environment.FINALIZER)) {
            return;
        }
        String ns = env.namespace();
        boolean hasTenant = env.getSpec() != null && env.getSpec().tenant != null;
        if (hasTenant && env.getStatus() != null && env.getStatus().readySince != null) {
            // the Ready period ends with the environment
            events.countMinutes(env, Instant.parse(env.getStatus().readySince), now);
        }
        String label = Labels.ENVIRONMENT + "=" + env.getMetadata().getName();
        Map<String, String> selector = Map.of(Labels.ENVIRONMENT, env.getMetadata().getName());
        client.apps().deployments().inNamespace(ns).withLabels(selector).delete();
        client.services().inNamespace(ns).withLabels(selector).delete();
        client.persistentVolumeClaims().inNamespace(ns).withLabels(selector).delete();
        client.network().v1().networkPolicies().inNamespace(ns).withLabels(selector).delete();
        client.rbac().roleBindings().inNamespace(ns).withLabels(selector).delete();
        client.serviceAccounts().inNamespace(ns).withLabels(selector).delete();
        client.limitRanges().inNamespace(ns).withLabels(selector).delete();
        client.resourceQuotas().inNamespace(ns).withLabels(selector).delete();
        Namespace namespace = client.namespaces().withName(ns).get();
        if (namespace != null && env.getMetadata().getName().equals(Labels.get(namespace, Labels.ENVIRONMENT))) {
            client.namespaces().withName(ns).delete();
        }
        if (hasTenant) {
            String reason = env.getMetadata().getAnnotations() == null ? null
                    : env.getMetadata().getAnnotations().get(Labels.DELETION_REASON);
            events.lifecycle(env, EnvironmentsV1.DELETED, Phase.Deleting, reason == null ? "deleted" : reason, now,
                    "deleted");
        }
        pinning.forget(env.getMetadata().getUid());
        LOG.debugf("environment %s cleaned up (%s)", env.getMetadata().getName(), label);
    }
}
