package io.defensebuilders.environments;

import java.util.Map;

/** The resource templates a spec may name; a spec's own resources override the template's field by field. */
public final class Templates {

    public static final String DEFAULT = "small";

    private static final Map<String, EnvironmentSpec.Resources> TEMPLATES = Map.of(
            "small", new EnvironmentSpec.Resources("1", "2Gi", null),
            "medium", new EnvironmentSpec.Resources("2", "4Gi", "10Gi"),
            "large", new EnvironmentSpec.Resources("4", "16Gi", "50Gi"));

    private Templates() {
    }

    public static boolean exists(String name) {
        return TEMPLATES.containsKey(name);
    }

    /** The resources an environment gets: its own where given, else its template's (small by default). */
    public static EnvironmentSpec.Resources effective(EnvironmentSpec spec) {
        EnvironmentSpec.Resources base = TEMPLATES.getOrDefault(spec.template == null ? DEFAULT : spec.template,
                TEMPLATES.get(DEFAULT));
        EnvironmentSpec.Resources own = spec.resources;
        if (own == null) {
            return base;
        }
        return new EnvironmentSpec.Resources(own.cpu != null ? own.cpu : base.cpu,
                own.memory != null ? own.memory : base.memory, own.storage != null ? own.storage : base.storage);
    }
}
