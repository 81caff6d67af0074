package io.defensebuilders.registry;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * How the environment manager runs a version's image: ports, environment, resource requests, command and a
 * readiness probe. Mirrors {@code defensebuilders.registry.v1.EnvironmentTemplate}.
 */
public record EnvironmentTemplate(
        @Valid @Size(max = 20) List<Port> ports,
        @Size(max = 100) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}", message = "must be an environment variable name") String, @Size(max = 4096) String> env,
        @Valid Resources resources,
        @Size(max = 50) List<@Size(max = 1024) String> command,
        @Size(max = 200) List<@Size(max = 4096) String> args,
        @Pattern(regexp = "/[\\x21-\\x7e]{0,255}", message = "must be an absolute HTTP path") String readinessPath) {

    public record Port(
            @NotBlank @Pattern(regexp = "[a-z]([a-z0-9-]{0,13}[a-z0-9])?", message = "must be a Kubernetes port name") String name,
            @Min(1) @Max(65535) int port,
            @Pattern(regexp = "TCP|UDP", message = "must be TCP or UDP") String protocol) {
    }

    public record Resources(
            @Pattern(regexp = "\\d+(\\.\\d+)?m?", message = "must be a Kubernetes CPU quantity such as 500m or 2") String cpu,
            @Pattern(regexp = "\\d+(\\.\\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?", message = "must be a Kubernetes memory quantity such as 512Mi") String memory) {
    }
}
