package io.defensebuilders.environments.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.Templates;
import io.defensebuilders.environments.grpc.Resolution;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;

/**
 * Everything one environment becomes, as plain objects: its Namespace, ResourceQuota, LimitRange, NetworkPolicies,
 * the owner's ServiceAccount and RoleBinding, a PVC when storage is asked for, and a Deployment (and a Service when
 * it has ports) per SDK. Pure: the same environment and resolutions always give the same objects.
 */
public final class DesiredState {

    public static final String QUOTA = "environment-quota";
    public static final String LIMITS = "environment-limits";
    public static final String SERVICE_ACCOUNT = "owner";
    public static final String ROLE_BINDING = "owner-edit";
    public static final String WORKSPACE = "workspace";
    public static final String DENY_ALL = "default-deny";
    public static final String ALLOW_DNS = "allow-dns";
    public static final String ALLOW_SAME_NAMESPACE = "allow-same-namespace";
    public static final String ALLOW_EGRESS = "allow-egress";

    private DesiredState() {
    }

    /** The objects, namespace first. */
    public static List<HasMetadata> of(Environment env, List<Resolution> sdks) {
        String ns = env.namespace();
        Map<String, String> labels = Labels.of(env);
        EnvironmentSpec spec = env.getSpec();
        EnvironmentSpec.Resources r = Templates.effective(spec);
        List<HasMetadata> out = new ArrayList<>();

        out.add(new NamespaceBuilder().withMetadata(new ObjectMetaBuilder().withName(ns)
                .withLabels(with(labels, "pod-security.kubernetes.io/enforce", "baseline")).build()).build());

        Map<String, Quantity> hard = new LinkedHashMap<>();
        hard.put("requests.cpu", new Quantity(r.cpu));
        hard.put("limits.cpu", new Quantity(r.cpu));
        hard.put("requests.memory", new Quantity(r.memory));
        hard.put("limits.memory", new Quantity(r.memory));
        hard.put("requests.storage", new Quantity(r.storage == null ? "0" : r.storage));
        hard.put("persistentvolumeclaims", new Quantity(r.storage == null ? "0" : "1"));
        hard.put("pods", new Quantity("20"));
        hard.put("services.loadbalancers", new Quantity("0"));
        hard.put("services.nodeports", new Quantity("0"));
        out.add(new ResourceQuotaBuilder().withMetadata(meta(QUOTA, ns, labels)).withNewSpec().withHard(hard).endSpec()
                .build());

        out.add(new LimitRangeBuilder().withMetadata(meta(LIMITS, ns, labels)).withNewSpec().addNewLimit()
                .withType("Container")
                .withDefaultRequest(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .withDefault(Map.of("cpu", new Quantity(r.cpu), "memory", new Quantity(r.memory)))
                .withMax(Map.of("cpu", new Quantity(r.cpu), "memory", new Quantity(r.memory)))
                .endLimit().endSpec().build());

        out.addAll(networkPolicies(ns, labels, "egress".equals(spec.network)));

        out.add(new ServiceAccountBuilder().withMetadata(meta(SERVICE_ACCOUNT, ns, labels)).build());
        out.add(new RoleBindingBuilder().withMetadata(meta(ROLE_BINDING, ns, labels))
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
                .withSubjects(new SubjectBuilder().withKind("ServiceAccount").withName(SERVICE_ACCOUNT).withNamespace(ns)
                        .build(),
                        new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io")
                                .withName(spec.owner).build())
                .build());

        boolean storage = r.storage != null;
        if (storage) {
            out.add(new PersistentVolumeClaimBuilder().withMetadata(meta(WORKSPACE, ns, labels)).withNewSpec()
                    .withAccessModes("ReadWriteOnce").withNewResources()
                    .withRequests(Map.of("storage", new Quantity(r.storage))).endResources().endSpec().build());
        }

        for (Resolution sdk : sdks) {
            out.addAll(workload(env, ns, labels, sdk, storage));
        }
        return out;
    }

    /** The Kubernetes name of an SDK's Deployment and Service. */
    public static String workloadName(String sdk) {
        String name = "sdk-" + sdk.toLowerCase().replaceAll("[^a-z0-9-]", "-");
        name = name.length() > 50 ? name.substring(0, 50) : name;
        return name.replaceAll("-+$", "");
    }

    private static List<HasMetadata> networkPolicies(String ns, Map<String, String> labels, boolean egress) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new NetworkPolicyBuilder().withMetadata(meta(DENY_ALL, ns, labels)).withNewSpec()
                .withNewPodSelector().endPodSelector().withPolicyTypes("Ingress", "Egress").endSpec().build());
        out.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_DNS, ns, labels)).withNewSpec()
                .withNewPodSelector().endPodSelector().withPolicyTypes("Egress").addNewEgress()
                .withTo(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
                        .withMatchLabels(Map.of("kubernetes.io/metadata.name", "kube-system")).endNamespaceSelector()
                        .build())
                .withPorts(new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build())
                .endEgress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_SAME_NAMESPACE, ns, labels)).withNewSpec()
                .withNewPodSelector().endPodSelector().withPolicyTypes("Ingress", "Egress")
                .addNewIngress().withFrom(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build())
                .endIngress()
                .addNewEgress().withTo(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build())
                .endEgress().endSpec().build());
        if (egress) {
            out.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_EGRESS, ns, labels)).withNewSpec()
                    .withNewPodSelector().endPodSelector().withPolicyTypes("Egress").addNewEgress()
                    .withTo(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("0.0.0.0/0").endIpBlock().build(),
                            new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("::/0").endIpBlock().build())
                    .endEgress().endSpec().build());
        }
        return out;
    }

    private static List<HasMetadata> workload(Environment env, String ns, Map<String, String> labels, Resolution sdk,
            boolean storage) {
        String name = workloadName(sdk.name());
        Map<String, String> podLabels = with(labels, Labels.SDK, name);
        List<ContainerPort> ports = sdk.ports().stream().map(p -> new ContainerPortBuilder().withName(p.name())
                .withContainerPort(p.port()).withProtocol(p.protocol()).build()).toList();
        List<EnvVar> envVars = new ArrayList<>();
        new java.util.TreeMap<>(sdk.env()).forEach((k, v) -> envVars.add(new EnvVar(k, v, null)));
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (sdk.cpu() != null) {
            requests.put("cpu", new Quantity(sdk.cpu()));
        }
        if (sdk.memory() != null) {
            requests.put("memory", new Quantity(sdk.memory()));
        }
        ContainerBuilder container = new ContainerBuilder().withName("sdk").withImage(sdk.imageRef())
                .withPorts(ports).withEnv(envVars).withCommand(sdk.command()).withArgs(sdk.args())
                .withNewResources().withRequests(requests).endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
                .endCapabilities().endSecurityContext();
        if (sdk.readinessPath() != null && !ports.isEmpty()) {
            container.withNewReadinessProbe().withNewHttpGet().withPath(sdk.readinessPath())
                    .withPort(new IntOrString(ports.getFirst().getContainerPort())).endHttpGet().endReadinessProbe();
        }
        if (storage) {
            container.addNewVolumeMount().withName(WORKSPACE).withMountPath("/workspace").endVolumeMount();
        }
        ObjectMeta deploymentMeta = meta(name, ns, podLabels);
        deploymentMeta.setAnnotations(Map.of(Labels.SDK + "-version", sdk.version()));
        DeploymentBuilder deployment = new DeploymentBuilder().withMetadata(deploymentMeta).withNewSpec()
                .withReplicas(env.getSpec().sleeping ? 0 : 1)
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(Map.of(Labels.ENVIRONMENT, env.getMetadata().getName(), Labels.SDK,
                        name))
                .endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata().withNewSpec()
                .withServiceAccountName(SERVICE_ACCOUNT).withAutomountServiceAccountToken(false)
                .withContainers(container.build()).endSpec().endTemplate().endSpec();
        if (storage) {
            // one ReadWriteOnce volume: every SDK pod of the environment runs on the node that holds it
            deployment.editSpec().editTemplate().editSpec()
                    .addNewVolume().withName(WORKSPACE).withNewPersistentVolumeClaim().withClaimName(WORKSPACE)
                    .endPersistentVolumeClaim().endVolume()
                    .withNewAffinity().withNewPodAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector()
                    .withMatchLabels(Map.of(Labels.ENVIRONMENT, env.getMetadata().getName())).endLabelSelector()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity()
                    .endSpec().endTemplate().endSpec();
        }
        List<HasMetadata> out = new ArrayList<>();
        out.add(deployment.build());
        if (!ports.isEmpty()) {
            List<ServicePort> servicePorts = sdk.ports().stream().map(p -> new ServicePortBuilder().withName(p.name())
                    .withPort(p.port()).withProtocol(p.protocol()).withTargetPort(new IntOrString(p.name())).build())
                    .toList();
            out.add(new ServiceBuilder().withMetadata(meta(name, ns, podLabels)).withNewSpec().withType("ClusterIP")
                    .withSelector(Map.of(Labels.ENVIRONMENT, env.getMetadata().getName(), Labels.SDK, name))
                    .withPorts(servicePorts).endSpec().build());
        }
        return out;
    }

    private static ObjectMeta meta(String name, String ns, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(name).withNamespace(ns).withLabels(labels).build();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.put(key, value);
        return out;
    }
}
