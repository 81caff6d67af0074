package io.defensebuilders.environments.service;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What creating an environment takes: the request body the API validates, handed to EnvironmentService as it is. */
public final class EnvironmentCommands {

    private EnvironmentCommands() {
    }

    @Schema(name = "SdkRef", description = "An SDK to run: registry name and SemVer range or dist-tag (latest when absent)")
    public record SdkRef(@Schema(required = true, example = "tak-server") String name,
            @Schema(example = "^5.2") String version) {
    }

    @Schema(name = "EnvironmentResources", description = "Kubernetes quantities for the whole environment")
    public record Resources(@Schema(example = "2") String cpu, @Schema(example = "4Gi") String memory,
            @Schema(example = "10Gi") String storage) {
    }

    @Schema(name = "CreateEnvironment")
    public record CreateEnvironment(
            @Schema(description = "DNS label, at most 59 characters; generated when absent", example = "demo") String name,
            String displayName, List<SdkRef> sdks,
            @Schema(enumeration = {
                    "small", "medium", "large" }) String template,
            Resources resources,
            @Schema(enumeration = { "isolated", "egress" }) String network,
            @Schema(example = "8h") String ttl, @Schema(example = "30m") String idleTimeout, Boolean persistent){
    }
}
