package io.defensebuilders.environments.operator;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Makes one object in the cluster look as desired: creates it when missing, replaces it when a field the operator
 * sets has drifted (fields the API server or other controllers add are left alone), and does nothing otherwise, so
 * a resync of an unchanged environment writes nothing.
 */
final class Applier {

    /** What applying did. */
    enum Change {
        NONE,
        CREATED,
        UPDATED
    }

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    Change apply(HasMetadata desired) {
        HasMetadata existing = client.resource(desired).get();
        if (existing == null) {
            client.resource(desired).create();
            return Change.CREATED;
        }
        if (matches(desired, existing)) {
            return Change.NONE;
        }
        if (desired instanceof PersistentVolumeClaim) {
            // a claim's spec is immutable (except growing it, which storage classes may refuse): keep the data
            return Change.NONE;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        if (desired instanceof Service wanted && existing instanceof Service found && found.getSpec() != null) {
            wanted.getSpec().setClusterIP(found.getSpec().getClusterIP());
            wanted.getSpec().setClusterIPs(found.getSpec().getClusterIPs());
        }
        client.resource(desired).update();
        return Change.UPDATED;
    }

    /** Whether every field of {@code desired} (its labels, and everything outside metadata) is as wanted. */
    boolean matches(HasMetadata desired, HasMetadata existing) {
        JsonNode want = client.getKubernetesSerialization().convertValue(desired, JsonNode.class);
        JsonNode have = client.getKubernetesSerialization().convertValue(existing, JsonNode.class);
        Map<String, String> wantLabels = desired.getMetadata().getLabels();
        Map<String, String> haveLabels = existing.getMetadata().getLabels();
        if (wantLabels != null && (haveLabels == null || !haveLabels.entrySet().containsAll(wantLabels.entrySet()))) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = want.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("metadata") || name.equals("status") || name.equals("apiVersion") || name.equals("kind")) {
                continue;
            }
            if (!subset(field.getValue(), have.get(name))) {
                return false;
            }
        }
        return true;
    }

    /** {@code want} is contained in {@code have}: objects field by field, arrays element by element. */
    static boolean subset(JsonNode want, JsonNode have) {
        if (want == null || want.isNull()) {
            return true;
        }
        if (have == null || have.isNull() || have.isMissingNode()) {
            return (want.isArray() || want.isObject()) && want.isEmpty();
        }
        if (want.isObject()) {
            if (!have.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = want.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!subset(field.getValue(), have.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (!have.isArray() || have.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!subset(want.get(i), have.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return want.asText().equals(have.asText());
    }
}
