package io.defensebuilders.environments;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code Environment} custom resource (cluster-scoped, so {@code kubectl get environments} needs no namespace):
 * one tenant's sandbox, reconciled into a namespace of its own. The CRD YAML under deploy/k8s/crds is generated from
 * this class and its spec and status.
 */
@Group(Environment.GROUP)
@Version(Environment.VERSION)
@Kind("Environment")
@Plural("environments")
@Singular("environment")
@ShortNames("env")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tenant", jsonPath = ".spec.tenant", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = AdditionalPrinterColumn.Type.DATE)
public class Environment extends CustomResource<EnvironmentSpec, EnvironmentStatus> {

    public static final String GROUP = "environments.defensebuilders.io";
    public static final String VERSION = "v1alpha1";
    /** Removed by the operator once everything the environment created is gone. */
    public static final String FINALIZER = GROUP + "/cleanup";

    /** The namespace an environment's workloads run in. */
    public static String namespaceOf(String name) {
        return "env-" + name;
    }

    public String namespace() {
        return namespaceOf(getMetadata().getName());
    }

    /**
     * The name the tenant uses over REST: the one it chose (REST-created environments carry it in a label, their
     * resource name adds a tag of the tenant so that tenants never see each other's names taken), else the resource
     * name (applied with kubectl).
     */
    public String tenantName() {
        var labels = getMetadata().getLabels();
        String chosen = labels == null ? null : labels.get(io.defensebuilders.environments.operator.Labels.NAME);
        return chosen != null ? chosen : getMetadata().getName();
    }

    /** The resource name of {@code tenant}'s REST environment {@code name}: the name, a dash, 8 hex of SHA-256(tenant). */
    public static String resourceName(String tenant, String name) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return name + "-" + java.util.HexFormat.of().formatHex(h, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
