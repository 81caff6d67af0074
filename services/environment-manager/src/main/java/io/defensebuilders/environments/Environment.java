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
}
