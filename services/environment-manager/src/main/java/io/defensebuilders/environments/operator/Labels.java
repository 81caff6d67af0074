package io.defensebuilders.environments.operator;

import java.util.LinkedHashMap;
import java.util.Map;

import io.defensebuilders.environments.Environment;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Labels and annotations on everything the operator creates, so it can find (and repair) its own objects. */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "environment-manager";
    public static final String TENANT = Environment.GROUP + "/tenant";
    public static final String ENVIRONMENT = Environment.GROUP + "/environment";
    /** The name its tenant knows an environment created over REST by (its resource name adds a tenant tag). */
    public static final String NAME = Environment.GROUP + "/name";
    public static final String SDK = Environment.GROUP + "/sdk";
    /** Last activity (RFC 3339), set by wake; idleTimeout counts from the later of it and status.lastActivityAt. */
    public static final String LAST_ACTIVITY = Environment.GROUP + "/last-activity";
    /** Why the operator deleted the resource (ttl, sleep retention), for the deleted event. */
    public static final String DELETION_REASON = Environment.GROUP + "/deletion-reason";
    /** Resolutions made by the REST API with the caller's token, with the spec they belong to. */
    public static final String RESOLVED = Environment.GROUP + "/resolved";
    /**
     * On each object the operator applies, the fingerprint of what it last applied ({@code Applier}): a desired
     * object that changed, a field removed from it included, is applied again even when everything it still sets is
     * in place.
     */
    public static final String APPLIED = Environment.GROUP + "/applied";

    private Labels() {
    }

    /** The labels of an environment's namespace and of everything in it. */
    public static Map<String, String> of(Environment env) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(TENANT, env.getSpec().tenant);
        labels.put(ENVIRONMENT, env.getMetadata().getName());
        return labels;
    }

    /** The value of label {@code key} on {@code object}, or null. */
    static String get(HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
    }
}
