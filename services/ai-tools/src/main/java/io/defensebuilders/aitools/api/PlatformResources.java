package io.defensebuilders.aitools.api;

import static io.defensebuilders.aitools.service.PlatformApi.segment;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.service.PlatformApi.Call;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.ResourceTemplateArg;
import io.quarkiverse.mcp.server.TextResourceContents;

/**
 * The platform's documents as MCP resource templates, read as the caller: SDK READMEs and versions, CCDM reports,
 * a screening's conjunctions as CSV, an environment's status.
 */
public class PlatformResources {

    private final ToolContext context;

    public PlatformResources(ToolContext context) {
        this.context = context;
    }

    @ResourceTemplate(name = "sdk_readme", title = "SDK README", uriTemplate = "dbp://sdks/{name}/readme", mimeType = "text/markdown", description = "The README of an SDK's latest version (Markdown).")
    public TextResourceContents sdkReadme(@ResourceTemplateArg String name, RequestUri uri) {
        JsonNode resolved = context.send(Call.get("sdk-registry", "/api/v1/sdks/" + segment(name) + "/resolve"));
        JsonNode version = context.send(Call.get("sdk-registry", "/api/v1/sdks/" + segment(name) + "/versions/"
                + segment(resolved.path("version").asText())));
        return new TextResourceContents(uri.value(), version.path("readme").asText(""), "text/markdown");
    }

    @ResourceTemplate(name = "sdk_versions", title = "SDK versions", uriTemplate = "dbp://sdks/{name}/versions", mimeType = "application/json", description = "Every version of an SDK, with yank and deprecation state.")
    public TextResourceContents sdkVersions(@ResourceTemplateArg String name, RequestUri uri) {
        JsonNode versions = context.send(Call.get("sdk-registry", "/api/v1/sdks/" + segment(name) + "/versions"));
        return new TextResourceContents(uri.value(), versions.toString(), "application/json");
    }

    @ResourceTemplate(name = "ccdm_report", title = "CCDM report", uriTemplate = "dbp://orbital/ccdm/{noradId}", mimeType = "application/json", description = "The CCDM assessment of a space object, with its evidence.")
    public TextResourceContents ccdmReport(@ResourceTemplateArg String noradId, RequestUri uri) {
        JsonNode report = context.send(Call.get("orbital", "/api/v1/orbital/ccdm/" + segment(noradId)));
        return new TextResourceContents(uri.value(), report.toString(), "application/json");
    }

    @ResourceTemplate(name = "screening_conjunctions", title = "Screening results (CSV)", uriTemplate = "dbp://orbital/screenings/{id}/conjunctions.csv", mimeType = "text/csv", description = "Every conjunction a screening found, as SOCRATES-style CSV.")
    public TextResourceContents screeningConjunctions(@ResourceTemplateArg String id, RequestUri uri) {
        String csv = context.text(Call.get("orbital", "/api/v1/orbital/screenings/" + OrbitalTools.uuid(id)
                + "/conjunctions").accept("text/csv"));
        return new TextResourceContents(uri.value(), csv, "text/csv");
    }

    @ResourceTemplate(name = "environment_status", title = "Environment status", uriTemplate = "dbp://environments/{name}", mimeType = "application/json", description = "An environment's phase, conditions, endpoints and expiry.")
    public TextResourceContents environmentStatus(@ResourceTemplateArg String name, RequestUri uri) {
        JsonNode environment = context.send(Call.get("environment-manager", "/api/v1/environments/" + segment(name)));
        return new TextResourceContents(uri.value(), environment.toString(), "application/json");
    }
}
