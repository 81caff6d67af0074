package io.defensebuilders.environments.operator;

import java.util.ArrayList;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Reads an Environment's status as a working copy and writes it back through the status subresource. */
final class StatusStore {

    private final KubernetesClient client;

    StatusStore(KubernetesClient client) {
        this.client = client;
    }

    /** A deep copy of {@code status} (an empty status for none) whose lists can be changed. */
    EnvironmentStatus copy(EnvironmentStatus status) {
        if (status == null) {
            return new EnvironmentStatus();
        }
        EnvironmentStatus out = client.getKubernetesSerialization().clone(status);
        out.conditions = out.conditions == null ? new ArrayList<>() : new ArrayList<>(out.conditions);
        out.endpoints = out.endpoints == null ? new ArrayList<>() : out.endpoints;
        out.sdks = out.sdks == null ? new ArrayList<>() : out.sdks;
        return out;
    }

    /** Writes {@code status} unless it serialises as {@code before} did, so a resync that changes nothing writes nothing. */
    void write(Environment env, EnvironmentStatus before, EnvironmentStatus status) {
        Conditions.sort(status);
        if (same(before, status)) {
            return;
        }
        Environment copy = client.getKubernetesSerialization().clone(env);
        copy.setStatus(status);
        client.resource(copy).updateStatus();
    }

    private boolean same(EnvironmentStatus a, EnvironmentStatus b) {
        return client.getKubernetesSerialization().asJson(a).equals(client.getKubernetesSerialization().asJson(b));
    }
}
