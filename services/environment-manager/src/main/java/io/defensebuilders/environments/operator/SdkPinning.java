package io.defensebuilders.environments.operator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.grpc.Resolution;
import io.defensebuilders.environments.grpc.ResolutionException;

/**
 * Pins what an environment's SDKs resolve to, once per generation: a resync asks the registry nothing, and a restart
 * runs the versions the REST API resolved (the {@link Labels#RESOLVED} annotation) rather than newer ones.
 */
public final class SdkPinning {

    private static final Logger LOG = Logger.getLogger(SdkPinning.class);

    /** Asks the registry, as the tenant, what a list of SDK references resolves to. */
    @FunctionalInterface
    interface Registry {
        List<Resolution> resolve(String tenant, List<EnvironmentSpec.SdkRef> sdks) throws ResolutionException;
    }

    /** The annotation the REST API writes: the spec's SDKs (fingerprint) and what they resolved to. */
    public record ResolvedAnnotation(String sdks, List<Resolution> resolutions) {
    }

    /** Resolutions pinned for one environment (by uid): its generation and SDK fingerprint then. */
    private record Pinned(long generation, String sdks, List<Resolution> resolutions) {
    }

    private final Registry registry;
    private final ObjectMapper json;
    private final Map<String, Pinned> pinned = new ConcurrentHashMap<>();

    SdkPinning(Registry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    /** A stable text for a list of SDK references. */
    public static String fingerprint(List<EnvironmentSpec.SdkRef> sdks) {
        if (sdks == null) {
            return "";
        }
        return sdks.stream().map(s -> s.name + "@" + (s.version == null ? "" : s.version))
                .collect(Collectors.joining(","));
    }

    /**
     * The SDKs of this generation: pinned in memory, pinned by the REST API on the resource, or asked of the registry
     * now (a ResolutionException says why not).
     */
    List<Resolution> resolve(Environment env, long generation) {
        String uid = env.getMetadata().getUid();
        String fingerprint = fingerprint(env.getSpec().sdks);
        Pinned hit = pinned.get(uid);
        if (hit != null && hit.generation() == generation && hit.sdks().equals(fingerprint)) {
            return hit.resolutions();
        }
        List<Resolution> resolutions = fromAnnotation(env, fingerprint);
        if (resolutions == null) {
            resolutions = registry.resolve(env.getSpec().tenant, env.getSpec().sdks);
        }
        pinned.put(uid, new Pinned(generation, fingerprint, resolutions));
        return resolutions;
    }

    /** Drops what was pinned for a deleted environment. */
    void forget(String uid) {
        pinned.remove(uid);
    }

    private List<Resolution> fromAnnotation(Environment env, String fingerprint) {
        String value = env.getMetadata().getAnnotations() == null ? null
                : env.getMetadata().getAnnotations().get(Labels.RESOLVED);
        if (value == null) {
            return null;
        }
        try {
            ResolvedAnnotation a = json.readValue(value, ResolvedAnnotation.class);
            return fingerprint.equals(a.sdks()) ? a.resolutions() : null;
        } catch (Exception e) {
            LOG.debugf("ignoring unreadable %s annotation on %s", Labels.RESOLVED, env.getMetadata().getName());
            return null;
        }
    }
}
