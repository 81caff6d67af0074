package io.defensebuilders.environments;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** What an environment should be: who it belongs to, which SDKs it runs, its resources, network and lifetime. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentSpec {

    /** Tenant id pattern, as the gateway defines it. */
    public static final String TENANT_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
    /** A duration such as 90m, 8h, 1h30m or 7d. */
    public static final String DURATION_PATTERN = "^([0-9]{1,6}(s|m|h|d))+$";

    @Required
    @Pattern(TENANT_PATTERN)
    @JsonPropertyDescription("Tenant that owns the environment (and is billed for it).")
    public String tenant;

    @Required
    @Size(min = 1, max = 200)
    @JsonPropertyDescription("User or API key id that owns the environment; bound to its namespace's edit role.")
    public String owner;

    @Size(max = 200)
    @JsonPropertyDescription("Human-readable name.")
    public String displayName;

    @Size(max = 10)
    @JsonPropertyDescription("SDKs to run, one Deployment (and Service when it has ports) each.")
    public List<SdkRef> sdks = new ArrayList<>();

    @Pattern("^(small|medium|large)$")
    @JsonPropertyDescription("Resource template (small, medium, large) used where resources are not given.")
    public String template;

    @JsonPropertyDescription("Resources of the whole environment: its namespace's quota.")
    public Resources resources;

    @Default("isolated")
    @Pattern("^(isolated|egress)$")
    @JsonPropertyDescription("isolated: default-deny with DNS only; egress: outbound traffic allowed.")
    public String network = "isolated";

    @Pattern(DURATION_PATTERN)
    @JsonPropertyDescription("Deleted this long after it started (e.g. 8h, 7d); none when absent.")
    public String ttl;

    @Pattern(DURATION_PATTERN)
    @JsonPropertyDescription("Put to sleep after this long without activity (e.g. 30m); never when absent.")
    public String idleTimeout;

    @JsonPropertyDescription("A sleeping persistent environment is never deleted for being asleep.")
    public boolean persistent;

    @JsonPropertyDescription("Desired sleep: workloads scaled to zero, data kept. The operator sets it after idleTimeout.")
    public boolean sleeping;

    /** One SDK to run: a registry name and a SemVer range or dist-tag. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SdkRef {

        @Required
        @Pattern("^[a-z0-9][a-z0-9._-]{0,99}$")
        @JsonPropertyDescription("SDK name in the registry.")
        public String name;

        @Size(max = 100)
        @JsonPropertyDescription("SemVer range (npm syntax: ^1.2, ~1.2.3, >=1 <2, 1.4.0) or dist-tag; latest when absent.")
        public String version;

        public SdkRef() {
        }

        public SdkRef(String name, String version) {
            this.name = name;
            this.version = version;
        }
    }

    /** Kubernetes quantities for the environment as a whole. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Resources {

        @Pattern("^[0-9]+(\\.[0-9]+)?m?$")
        @JsonPropertyDescription("CPU, e.g. 2 or 500m.")
        public String cpu;

        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")
        @JsonPropertyDescription("Memory, e.g. 4Gi.")
        public String memory;

        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")
        @JsonPropertyDescription("Persistent storage, e.g. 10Gi: one workspace volume the SDKs share. None when absent.")
        public String storage;

        public Resources() {
        }

        public Resources(String cpu, String memory, String storage) {
            this.cpu = cpu;
            this.memory = memory;
            this.storage = storage;
        }
    }
}
