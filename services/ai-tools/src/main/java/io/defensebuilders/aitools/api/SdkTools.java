package io.defensebuilders.aitools.api;

import static io.defensebuilders.aitools.service.PlatformApi.segment;

import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.service.PlatformApi;
import io.defensebuilders.aitools.service.PlatformApi.Call;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.Tool.Annotations;
import io.quarkiverse.mcp.server.Tool.OutputSchema;
import io.quarkiverse.mcp.server.ToolArg;

/** The SDK registry as tools: search, inspect, resolve a range, list versions, publish a version. */
@ToolCall
public class SdkTools {

    private static final String REGISTRY = "sdk-registry";

    private final ToolContext context;

    public SdkTools(ToolContext context) {
        this.context = context;
    }

    @Tool(name = "search_sdks", title = "Search SDKs", description = "Searches the SDK registry (public SDKs and the "
            + "caller's tenant's private ones) by text, category, tag or publisher. Pages: pass nextCursor as cursor.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.SdkPage.class))
    public Views.SdkPage searchSdks(
            @ToolArg(description = "Search text, e.g. 'tak' or 'orbit determination'", required = false) String query,
            @ToolArg(description = "Category id, e.g. space, c2, geoint", required = false) String category,
            @ToolArg(description = "Tag", required = false) String tag,
            @ToolArg(description = "Publisher name", required = false) String publisher,
            @ToolArg(description = "Page size, 1 to 100 (default 20)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        return context.send(Call.get(REGISTRY, "/api/v1/sdks").query("q", query).query("category", category)
                .query("tag", tag).query("publisher", publisher).query("limit", limit == null ? 20 : limit)
                .query("cursor", cursor), Views.SdkPage.class);
    }

    @Tool(name = "get_sdk", title = "Inspect an SDK", description = "An SDK's description, publisher, license, "
            + "links, tags and latest version.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Sdk.class))
    public Views.Sdk getSdk(@ToolArg(description = "SDK name, e.g. tak-server") String name) {
        return context.send(Call.get(REGISTRY, "/api/v1/sdks/" + segment(name)), Views.Sdk.class);
    }

    @Tool(name = "resolve_sdk", title = "Resolve an SDK version range", description = "The version a SemVer range "
            + "(^1.2, ~2.0.1, >=1 <2) or dist-tag (latest, beta) resolves to, with its image and artifact integrity.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Resolution.class))
    public Views.Resolution resolveSdk(@ToolArg(description = "SDK name") String name,
            @ToolArg(description = "Range or dist-tag; default latest", required = false) String range,
            @ToolArg(description = "Let prereleases satisfy the range", required = false) Boolean includePrerelease) {
        return context.send(Call.get(REGISTRY, "/api/v1/sdks/" + segment(name) + "/resolve").query("range", range)
                .query("includePrerelease", includePrerelease), Views.Resolution.class);
    }

    @Tool(name = "list_sdk_versions", title = "List an SDK's versions", description = "Every published version of "
            + "an SDK, newest first, with yank and deprecation state and its artifact.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.SdkVersions.class))
    public Views.SdkVersions listSdkVersions(@ToolArg(description = "SDK name") String name) {
        JsonNode versions = context.send(Call.get(REGISTRY, "/api/v1/sdks/" + segment(name) + "/versions"));
        return new Views.SdkVersions(name, Arrays.asList(context.as(versions, Views.SdkVersion[].class)));
    }

    @Tool(name = "publish_sdk_version", title = "Publish an SDK version", description = "Publishes a new version of "
            + "an SDK the caller's tenant owns (builder role). Versions are immutable: the same version again is "
            + "refused. The artifact (tarball) is uploaded separately, through the REST API.", annotations = @Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = false, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.SdkVersion.class))
    public Views.SdkVersion publishSdkVersion(@ToolArg(description = "SDK name") String name,
            @ToolArg(description = "SemVer 2.0 version, e.g. 1.4.0") String version,
            @ToolArg(description = "README of this version (Markdown)", required = false) String readme,
            @ToolArg(description = "Container image, e.g. ghcr.io/acme/tak-server:1.4.0", required = false) String image,
            @ToolArg(description = "Image digest, sha256:<64 hex>", required = false) String imageDigest) {
        Map<String, Object> body = PlatformApi.body("version", version, "readme", readme, "image", image, "imageDigest",
                imageDigest);
        return context.send(Call.post(REGISTRY, "/api/v1/sdks/" + segment(name) + "/versions", body),
                Views.SdkVersion.class);
    }
}
