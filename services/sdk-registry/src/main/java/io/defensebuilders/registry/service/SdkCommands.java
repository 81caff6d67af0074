package io.defensebuilders.registry.service;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.registry.EnvironmentTemplate;
import io.defensebuilders.registry.Names;
import io.defensebuilders.registry.Visibility;

/** Request bodies of the SDK endpoints. */
public final class SdkCommands {

    private SdkCommands() {
    }

    @Schema(name = "NewPublisher")
    public record NewPublisher(
            @NotBlank @Pattern(regexp = Names.NAME_REGEX, message = Names.NAME_RULE) @Schema(example = "acme-space") String name,
            @NotBlank @Size(max = 200) @Schema(example = "ACME Space Systems") String displayName,
            @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String url) {
    }

    @Schema(name = "NewSdk")
    public record NewSdk(
            @NotBlank @Pattern(regexp = Names.NAME_REGEX, message = Names.NAME_RULE) @Schema(example = "tak-server") String name,
            @NotBlank @Pattern(regexp = Names.NAME_REGEX, message = Names.NAME_RULE) @Schema(description = "Publisher of the caller's tenant", example = "acme-space") String publisher,
            @NotBlank @Size(max = 200) @Schema(example = "TAK Server SDK") String title,
            @Size(max = 4000) String description,
            @NotBlank @Size(max = 256) @Schema(description = "SPDX license expression", example = "Apache-2.0") String license,
            @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String homepage,
            @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String repository,
            @Size(max = 20) List<@Pattern(regexp = Names.KEYWORD_REGEX, message = "tags are lowercase keywords of at most 32 characters") String> tags,
            @Size(max = 5) List<@NotBlank String> categories,
            @NotNull Visibility visibility) {
    }

    /** Fields to change; absent fields stay as they are. */
    @Schema(name = "SdkChanges")
    public record SdkChanges(
            @Size(min = 1, max = 200) String title,
            @Size(max = 4000) String description,
            @Size(min = 1, max = 256) String license,
            @Size(max = 2048) @Pattern(regexp = "(https?://\\S+)?", message = "must be an http(s) URL, or empty to remove it") String homepage,
            @Size(max = 2048) @Pattern(regexp = "(https?://\\S+)?", message = "must be an http(s) URL, or empty to remove it") String repository,
            @Size(max = 20) List<@Pattern(regexp = Names.KEYWORD_REGEX, message = "tags are lowercase keywords of at most 32 characters") String> tags,
            @Size(max = 5) List<@NotBlank String> categories,
            Visibility visibility) {
    }

    @Schema(name = "NewVersion")
    public record NewVersion(
            @NotBlank @Size(max = 128) @Schema(description = "SemVer 2.0 version", example = "1.4.0") String version,
            @Schema(description = "README (Markdown) of this version; at most dbp.registry.readme-max-bytes") String readme,
            @Size(max = 512) @Pattern(regexp = "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+", message = "must be an OCI image repository such as ghcr.io/acme/tak-server") @Schema(example = "ghcr.io/acme/tak-server") String image,
            @Pattern(regexp = "sha256:[0-9a-f]{64}", message = "must be sha256:<64 lowercase hex>") String imageDigest,
            @Valid EnvironmentTemplate environmentTemplate) {
    }

    @Schema(name = "YankRequest")
    public record Yank(@NotBlank @Size(max = 1024) String reason) {
    }

    @Schema(name = "DeprecateRequest")
    public record Deprecate(@NotBlank @Size(max = 1024) String message) {
    }

    @Schema(name = "DistTagRequest")
    public record DistTag(@NotBlank @Size(max = 128) @Schema(example = "2.0.0-beta.1") String version) {
    }
}
