package io.defensebuilders.environments.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.environments.grpc.PlanLimits;
import io.defensebuilders.environments.grpc.Resolution;
import io.defensebuilders.environments.grpc.ResolutionException;
import io.defensebuilders.environments.grpc.SdkResolver;
import io.defensebuilders.environments.operator.ClusterAccess;
import io.defensebuilders.environments.operator.DesiredState;
import io.defensebuilders.environments.operator.Labels;
import io.defensebuilders.environments.operator.SdkPinning;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.Problem.FieldError;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The REST API's use cases over Environment resources. The resource is the source of truth; this class only reads
 * and writes it, tenant-scoped: another tenant's environment is answered as absent.
 */
@ApplicationScoped
public class EnvironmentService {

    private final KubernetesClient client;
    private final ClusterAccess cluster;
    private final SpecValidator validator;
    /** A REST name: short enough that the tenant-tagged resource name (+9) is a valid environment name. */
    static final java.util.regex.Pattern REST_NAME = java.util.regex.Pattern.compile("^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$");

    private final SdkResolver resolver;
    private final PlanLimits planLimits;
    private final ObjectMapper json;
    private final Clock clock;
    private final EnvironmentsConfig.Kubeconfig kubeconfig;

    public EnvironmentService(KubernetesClient client, ClusterAccess cluster, SpecValidator validator,
            SdkResolver resolver, PlanLimits planLimits, ObjectMapper json, Clock clock, EnvironmentsConfig config) {
        this.planLimits = planLimits;
        this.client = client;
        this.cluster = cluster;
        this.validator = validator;
        this.resolver = resolver;
        this.json = json;
        this.clock = clock;
        this.kubeconfig = config.kubeconfig();
    }

    /** Validates, resolves the SDKs with the caller's own token, and creates the resource. */
    @WithSpan
    public Environment create(Caller caller, String bearerToken, EnvironmentCommands.CreateEnvironment request) {
        cluster.require();
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        String name = request.name() != null ? request.name()
                : "env-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tenant = caller.tenant();
        spec.owner = caller.subject();
        spec.displayName = request.displayName();
        spec.sdks = new ArrayList<>();
        if (request.sdks() != null) {
            request.sdks().forEach(s -> spec.sdks.add(s == null ? null : new EnvironmentSpec.SdkRef(s.name(), s.version())));
        }
        spec.template = request.template();
        if (request.resources() != null) {
            spec.resources = new EnvironmentSpec.Resources(request.resources().cpu(), request.resources().memory(),
                    request.resources().storage());
        }
        spec.network = request.network() == null ? "isolated" : request.network();
        spec.ttl = request.ttl();
        spec.idleTimeout = request.idleTimeout();
        spec.persistent = Boolean.TRUE.equals(request.persistent());
        List<FieldError> errors = new ArrayList<>();
        boolean nameOk = REST_NAME.matcher(name).matches();
        if (!nameOk) {
            errors.add(new FieldError("name", "must be a DNS label of at most 50 characters (a-z, 0-9, '-')"));
        }
        // the spec's errors are listed whatever the name's (a valid stand-in name when it is not)
        errors.addAll(validator.validate(nameOk ? Environment.resourceName(caller.tenant(), name) : "x", spec));
        if (!errors.isEmpty()) {
            ProblemType v = ProblemType.VALIDATION;
            throw new ProblemException(v.status(), v.slug(), v.title(), errors.stream()
                    .map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid"), errors);
        }
        planLimits.requireRoomForOneMore(bearerToken, list(caller.tenant()).stream()
                .filter(e -> e.getMetadata().getDeletionTimestamp() == null).count());
        List<Resolution> resolved;
        try {
            resolved = resolver.resolveWithToken(bearerToken, spec.sdks);
        } catch (ResolutionException e) {
            if (e.permanent()) {
                throw new ProblemException(422, "unknown-sdk", "An SDK cannot be resolved", e.getMessage(), null);
            }
            throw new ProblemException(503, "registry-unavailable", "The SDK registry is unavailable", e.getMessage(),
                    null);
        }
        Environment env = new Environment();
        Map<String, String> annotations = new HashMap<>();
        try {
            annotations.put(Labels.RESOLVED, json.writeValueAsString(new SdkPinning.ResolvedAnnotation(
                    SdkPinning.fingerprint(spec.sdks), resolved)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        env.setMetadata(new ObjectMetaBuilder().withName(Environment.resourceName(caller.tenant(), name))
                .withLabels(Map.of(Labels.TENANT, caller.tenant(), Labels.NAME, name))
                .withAnnotations(annotations).build());
        env.setSpec(spec);
        try {
            return client.resource(env).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw ProblemException.conflict("an environment named '" + name + "' exists already");
            }
            throw e;
        }
    }

    /** The tenant's environments, by name. */
    public List<Environment> list(String tenant) {
        cluster.require();
        return client.resources(Environment.class).withLabel(Labels.TENANT, tenant).list().getItems().stream()
                .filter(e -> e.getSpec() != null && tenant.equals(e.getSpec().tenant))
                .sorted(Comparator.comparing(Environment::tenantName)).toList();
    }

    /**
     * The tenant's environment by the name the tenant knows it by: a REST-created one (tenant-tagged resource name),
     * else one applied with kubectl under that resource name; 404 when absent or another tenant's.
     */
    public Environment get(String tenant, String name) {
        cluster.require();
        if (!SpecValidator.NAME.matcher(name).matches()) {
            throw ProblemException.notFound("no environment '" + name + "'");
        }
        Environment env = REST_NAME.matcher(name).matches()
                ? client.resources(Environment.class).withName(Environment.resourceName(tenant, name)).get()
                : null;
        if (env == null) {
            env = client.resources(Environment.class).withName(name).get();
            if (env != null && !name.equals(env.tenantName())) {
                env = null; // a REST environment is known by its chosen name, not its resource name
            }
        }
        if (env == null || env.getSpec() == null || !tenant.equals(env.getSpec().tenant)) {
            throw ProblemException.notFound("no environment '" + name + "'");
        }
        return env;
    }

    /** Starts deletion; the operator's finalizer removes everything. */
    public void delete(String tenant, String name) {
        Environment env = get(tenant, name);
        client.resource(env).withTimeoutInMillis(0).delete();
    }

    /** Puts it to sleep (workloads scaled to zero, data kept). */
    public Environment sleep(String tenant, String name) {
        return mergePatch(get(tenant, name).getMetadata().getName(), Map.of("spec", Map.of("sleeping", true)));
    }

    /** Wakes it, or, when awake, records activity (idleTimeout counts from now). */
    public Environment wake(String tenant, String name) {
        return mergePatch(get(tenant, name).getMetadata().getName(),
                Map.of("metadata", Map.of("annotations", Map.of(Labels.LAST_ACTIVITY,
                        clock.instant().toString())), "spec", Map.of("sleeping", false)));
    }

    /**
     * A JSON merge patch without a resourceVersion: it changes only the fields named, so it never conflicts with
     * the operator's concurrent status writes.
     */
    private Environment mergePatch(String name, Map<String, Object> patch) {
        try {
            return client.resources(Environment.class).withName(name)
                    .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), json.writeValueAsString(patch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kubeconfig for the environment's namespace, with a short-lived token of its owner ServiceAccount. */
    public String kubeconfig(String tenant, String name) {
        Environment env = get(tenant, name);
        String ns = env.namespace();
        TokenRequest minted;
        try {
            minted = client.serviceAccounts().inNamespace(ns).withName(DesiredState.SERVICE_ACCOUNT)
                    .tokenRequest(new TokenRequestBuilder().withNewSpec()
                            .withExpirationSeconds(kubeconfig.tokenTtl().toSeconds()).endSpec().build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new ProblemException(409, "not-provisioned", "The environment is not provisioned yet",
                        "environment '" + name + "' has no service account yet; retry when it is Ready", null);
            }
            throw e;
        }
        String token = minted == null || minted.getStatus() == null ? null : minted.getStatus().getToken();
        if (token == null || token.isEmpty()) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "the cluster issued no token for the environment");
        }
        String server = kubeconfig.server().orElse(client.getMasterUrl().toString());
        String ca = client.getConfiguration().getCaCertData();
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: v1\nkind: Config\nclusters:\n- name: ").append(ns).append("\n  cluster:\n    server: ")
                .append(server).append('\n');
        if (ca != null && !ca.isBlank()) {
            out.append("    certificate-authority-data: ").append(ca).append('\n');
        }
        out.append("contexts:\n- name: ").append(ns).append("\n  context:\n    cluster: ").append(ns)
                .append("\n    namespace: ").append(ns).append("\n    user: ").append(ns).append('\n')
                .append("current-context: ").append(ns).append('\n')
                .append("users:\n- name: ").append(ns).append("\n  user:\n    token: ").append(token).append('\n');
        return out.toString();
    }
}
