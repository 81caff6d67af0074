package io.defensebuilders.environments.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.environments.Durations;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.Templates;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.platform.problem.Problem.FieldError;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Checks a spec before anything is created: the same rules for the REST API (answered as a 400 problem) and for
 * resources applied with kubectl (answered as the Valid=False condition). Whether the SDKs exist is the registry's
 * question, asked afterwards.
 */
@ApplicationScoped
public class SpecValidator {

    /** metadata.name: a DNS label short enough that "env-" + name is one too. */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,57}[a-z0-9])?$");
    private static final Pattern TENANT = Pattern.compile(EnvironmentSpec.TENANT_PATTERN);
    private static final Pattern SDK = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,99}$");
    private static final Pattern CPU = Pattern.compile("^[0-9]+(\\.[0-9]+)?m?$");
    private static final Pattern BYTES = Pattern.compile("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$");

    private final EnvironmentsConfig.Limits limits;

    public SpecValidator(EnvironmentsConfig config) {
        this.limits = config.limits();
    }

    /** Every problem with {@code spec} for an environment called {@code name}; empty when it is valid. */
    public List<FieldError> validate(String name, EnvironmentSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must be a DNS label of at most 59 characters (a-z, 0-9, '-')"));
        }
        if (spec == null) {
            errors.add(new FieldError("spec", "is required"));
            return errors;
        }
        if (spec.tenant == null || !TENANT.matcher(spec.tenant).matches()) {
            errors.add(new FieldError("tenant", "must be a tenant id"));
        }
        if (spec.owner == null || spec.owner.isBlank() || spec.owner.length() > 200) {
            errors.add(new FieldError("owner", "is required (at most 200 characters)"));
        }
        if (spec.displayName != null && spec.displayName.length() > 200) {
            errors.add(new FieldError("displayName", "must be at most 200 characters"));
        }
        List<EnvironmentSpec.SdkRef> sdks = spec.sdks == null ? List.of() : spec.sdks;
        if (sdks.size() > 10) {
            errors.add(new FieldError("sdks", "at most 10 SDKs per environment"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sdks.size(); i++) {
            EnvironmentSpec.SdkRef sdk = sdks.get(i);
            if (sdk == null || sdk.name == null || !SDK.matcher(sdk.name).matches()) {
                errors.add(new FieldError("sdks[" + i + "].name", "must be an SDK name (a-z, 0-9, '.', '_', '-')"));
            } else if (!seen.add(sdk.name)) {
                errors.add(new FieldError("sdks[" + i + "].name", "'" + sdk.name + "' is listed twice"));
            }
            if (sdk != null && sdk.version != null && (sdk.version.isBlank() || sdk.version.length() > 100)) {
                errors.add(new FieldError("sdks[" + i + "].version", "must be a SemVer range or dist-tag"));
            }
        }
        if (spec.template != null && !Templates.exists(spec.template)) {
            errors.add(new FieldError("template", "unknown template '" + spec.template + "' (small, medium, large)"));
        }
        if (spec.network != null && !spec.network.equals("isolated") && !spec.network.equals("egress")) {
            errors.add(new FieldError("network", "must be isolated or egress"));
        }
        EnvironmentSpec.Resources r = spec.resources;
        if (r != null) {
            quantity(errors, "resources.cpu", r.cpu, CPU, limits.maxCpu(), "a CPU quantity such as 2 or 500m");
            quantity(errors, "resources.memory", r.memory, BYTES, limits.maxMemory(), "a memory quantity such as 4Gi");
            quantity(errors, "resources.storage", r.storage, BYTES, limits.maxStorage(),
                    "a storage quantity such as 10Gi");
        }
        Duration ttl = duration(errors, "ttl", spec.ttl);
        if (ttl != null && ttl.compareTo(limits.maxTtl()) > 0) {
            errors.add(new FieldError("ttl", "must be at most " + limits.maxTtl().toHours() + "h"));
        }
        duration(errors, "idleTimeout", spec.idleTimeout);
        return errors;
    }

    private static void quantity(List<FieldError> errors, String field, String value, Pattern format, String max,
            String what) {
        if (value == null) {
            return;
        }
        if (!format.matcher(value).matches()) {
            errors.add(new FieldError(field, "'" + value + "' is not " + what));
            return;
        }
        BigDecimal amount = Quantity.getAmountInBytes(new Quantity(value));
        if (amount.signum() <= 0) {
            errors.add(new FieldError(field, "must be more than zero"));
        } else if (amount.compareTo(Quantity.getAmountInBytes(new Quantity(max))) > 0) {
            errors.add(new FieldError(field, value + " is beyond this platform's limit of " + max));
        }
    }

    private static Duration duration(List<FieldError> errors, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }
}
