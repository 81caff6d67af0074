package io.defensebuilders.environments.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Makes one object in the cluster look as desired: creates it when missing, writes it when a field the operator sets
 * has drifted, and does nothing otherwise, so a resync of an unchanged environment writes nothing. Quantities are
 * compared by value, as the API server stores them in its own spelling ({@code 1000m} comes back as {@code 1},
 * {@code 1024Mi} as {@code 1Gi}).
 * <p>
 * Writes are server-side applies as field manager {@value #FIELD_MANAGER} (forcing conflicts: the operator owns what
 * it sets): the API server merges them, so fields other controllers and people own (an HPA's replicas, an annotation
 * {@code kubectl rollout restart} adds) stay, and a field the operator stops setting is removed. fabric8's mock API
 * server, on which the tests run, answers apply patches with 415; there (and only when
 * {@code quarkus.operator-sdk.enable-ssa=false}, the same switch as the SDK's own) objects are created and replaced
 * whole. The kind job runs both against a real API server.
 */
final class Applier {

    /** Who the API server records as owning the fields the operator applies. */
    static final String FIELD_MANAGER = "environment-manager";

    /**
     * Turns objects into JSON trees to compare: fabric8's serialisation, except that every {@link Quantity} is
     * written as its value in base units (1000m and 1 both as "1"), so two spellings of one amount compare equal.
     */
    private static final KubernetesSerialization COMPARABLE = new KubernetesSerialization(
            new ObjectMapper().addMixIn(Quantity.class, CanonicalQuantity.class)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS),
            false);

    /** What applying did. */
    enum Change {
        NONE,
        CREATED,
        UPDATED
    }

    private final KubernetesClient client;
    private final boolean serverSideApply;

    Applier(KubernetesClient client, boolean serverSideApply) {
        this.client = client;
        this.serverSideApply = serverSideApply;
    }

    Change apply(HasMetadata desired) {
        // one canonical tree for the fingerprint and the comparison, made before the fingerprint goes on
        JsonNode want = COMPARABLE.convertValue(desired, JsonNode.class);
        String fingerprint = fingerprint(want);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (desired.getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getMetadata().getAnnotations());
        }
        annotations.put(Labels.APPLIED, fingerprint);
        desired.getMetadata().setAnnotations(annotations);
        HasMetadata existing = client.resource(desired).get();
        if (existing != null && existing.getMetadata().getAnnotations() != null
                && fingerprint.equals(existing.getMetadata().getAnnotations().get(Labels.APPLIED))
                && matches(want, desired, existing)) {
            return Change.NONE;
        }
        if (existing != null && desired instanceof PersistentVolumeClaim) {
            // a claim's spec is immutable (except growing it, which storage classes may refuse): keep the data
            return Change.NONE;
        }
        if (serverSideApply) {
            client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            return existing == null ? Change.CREATED : Change.UPDATED;
        }
        if (existing == null) {
            client.resource(desired).create();
            return Change.CREATED;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        if (desired instanceof Service wanted && existing instanceof Service found && found.getSpec() != null) {
            wanted.getSpec().setClusterIP(found.getSpec().getClusterIP());
            wanted.getSpec().setClusterIPs(found.getSpec().getClusterIPs());
        }
        client.resource(desired).update();
        return Change.UPDATED;
    }

    /**
     * What {@code desired} asks for, as a short hash of its canonical JSON (quantities by value, map entries by key,
     * the {@link Labels#APPLIED} annotation left out): the same object always gives the same fingerprint, in any process.
     */
    static String fingerprint(HasMetadata desired) {
        return fingerprint(COMPARABLE.convertValue(desired, JsonNode.class));
    }

    /** {@link #fingerprint(HasMetadata)} of the object's canonical tree. */
    private static String fingerprint(JsonNode tree) {
        if (tree.path("metadata").path("annotations") instanceof ObjectNode given) {
            given.remove(Labels.APPLIED);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(COMPARABLE.asJson(tree).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether every field of {@code desired} (its labels, and everything outside metadata) is as wanted. */
    static boolean matches(HasMetadata desired, HasMetadata existing) {
        return matches(COMPARABLE.convertValue(desired, JsonNode.class), desired, existing);
    }

    /** {@link #matches(HasMetadata, HasMetadata)} with {@code desired}'s canonical tree {@code want} made already. */
    private static boolean matches(JsonNode want, HasMetadata desired, HasMetadata existing) {
        JsonNode have = COMPARABLE.convertValue(existing, JsonNode.class);
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

    /** Serialises {@link Quantity} by value (through the mix-in above), for comparison only. */
    @JsonSerialize(using = CanonicalQuantity.Serializer.class)
    private abstract static class CanonicalQuantity {

        /** A quantity as its plain decimal amount in base units; one it cannot read, as written. */
        @RegisterForReflection
        static final class Serializer extends StdSerializer<Quantity> {

            Serializer() {
                super(Quantity.class);
            }

            @Override
            public void serialize(Quantity value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(canonical(value));
            }
        }

        static String canonical(Quantity q) {
            try {
                return q.getNumericalAmount().stripTrailingZeros().toPlainString();
            } catch (RuntimeException unreadable) {
                return q.toString();
            }
        }
    }
}
