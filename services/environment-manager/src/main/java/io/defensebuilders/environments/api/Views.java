package io.defensebuilders.environments.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.EnvironmentStatus;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.environments.service.EnvironmentCommands;

/** The REST API's request and response shapes. */
public final class Views {

    private Views() {
    }

    @Schema(name = "EnvironmentCondition")
    public record ConditionView(String type, String status, String reason, String message, String lastTransitionTime) {
    }

    @Schema(name = "Environment")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentView(String name, String tenant, String owner, String displayName,
            List<EnvironmentCommands.SdkRef> sdks,
            String template, EnvironmentCommands.Resources resources, String network, String ttl, String idleTimeout,
            boolean persistent,
            boolean sleeping, String phase, String message, String namespace, String createdAt, String expiresAt,
            List<EnvironmentStatus.Endpoint> endpoints, List<EnvironmentStatus.ResolvedSdk> resolvedSdks,
            List<ConditionView> conditions) {

        public static EnvironmentView of(Environment env) {
            EnvironmentSpec s = env.getSpec();
            EnvironmentStatus st = env.getStatus() == null ? new EnvironmentStatus() : env.getStatus();
            Phase phase = env.getMetadata().getDeletionTimestamp() != null ? Phase.Deleting
                    : st.phase() == null ? Phase.Pending : st.phase();
            return new EnvironmentView(env.tenantName(), s.tenant, s.owner, s.displayName,
                    s.sdks == null ? List.of()
                            : s.sdks.stream().map(r -> new EnvironmentCommands.SdkRef(r.name, r.version)).toList(),
                    s.template,
                    s.resources == null ? null
                            : new EnvironmentCommands.Resources(s.resources.cpu, s.resources.memory, s.resources.storage),
                    s.network, s.ttl, s.idleTimeout, s.persistent, s.sleeping, phase.name(), st.message, env.namespace(),
                    env.getMetadata().getCreationTimestamp(), st.expiresAt,
                    st.endpoints == null ? List.of() : st.endpoints, st.sdks == null ? List.of() : st.sdks,
                    st.conditions == null ? List.of()
                            : st.conditions.stream().map(c -> new ConditionView(c.getType(), c.getStatus(),
                                    c.getReason(), c.getMessage(), c.getLastTransitionTime())).toList());
        }
    }

    @Schema(name = "EnvironmentList")
    public record EnvironmentList(List<EnvironmentView> data) {
    }
}
