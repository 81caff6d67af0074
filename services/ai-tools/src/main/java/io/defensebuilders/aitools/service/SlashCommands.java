package io.defensebuilders.aitools.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.platform.auth.GatewayTokens;

/**
 * The {@code /dbp} slash command, answered in Block Kit and only to the person who asked (ephemeral): search SDKs,
 * an environment's status (or the list), the CCDM assessment of an object. It reads as the integration's tenant with
 * the viewer role, so a workspace sees what a viewer of the tenant sees and nothing it could change.
 */
@ApplicationScoped
public class SlashCommands {

    static final String HELP = "*/dbp sdk* _text_ - search SDKs\n*/dbp env* - your environments\n*/dbp env* _name_"
            + " - one environment's status\n*/dbp ccdm* _NORAD id_ - CCDM assessment of an object\n*/dbp help* - this";

    private final PlatformApi api;
    private final TenantTokens tokens;

    public SlashCommands(PlatformApi api, TenantTokens tokens) {
        this.api = api;
        this.tokens = tokens;
    }

    /** The answer to {@code text} (what follows the command) for {@code tenant}. */
    public Map<String, Object> answer(String tenant, String command, String text, String requestId) {
        String[] words = text == null ? new String[0] : text.trim().split("\\s+", 2);
        String verb = words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1].trim() : "";
        try {
            return switch (verb) {
                case "sdk", "sdks", "search" -> searchSdks(tenant, rest, requestId);
                case "env", "envs", "environment", "environments" -> rest.isEmpty() ? environments(tenant, requestId)
                        : environment(tenant, rest, requestId);
                case "ccdm" -> ccdm(tenant, rest, requestId);
                case "", "help" -> message("Defense Builders Platform", List.of(section(HELP)));
                default -> message("Unknown command", List.of(section("`" + escape(command + " " + text.trim())
                        + "` is not a command I know.\n" + HELP)));
            };
        } catch (PlatformApi.Refusal e) {
            return message("Could not answer", List.of(section(escape(e.getMessage()))));
        } catch (GatewayTokens.UnavailableException e) {
            return message("Could not answer", List.of(section("The platform cannot act for this workspace now: "
                    + escape(e.getMessage()))));
        }
    }

    private Map<String, Object> searchSdks(String tenant, String query, String requestId) {
        JsonNode page = api.send(PlatformApi.Call.get("sdk-registry", "/api/v1/sdks").query("q", query)
                .query("limit", 5), token(tenant), requestId);
        List<Object> blocks = new ArrayList<>();
        for (JsonNode sdk : page.path("items")) {
            String latest = sdk.path("latestVersion").asText("");
            blocks.add(section("*" + escape(sdk.path("name").asText()) + "*" + (latest.isEmpty() ? ""
                    : " `" + escape(latest)
                            + "`")
                    + " - " + escape(sdk.path("title").asText(sdk.path("name").asText())) + "\n"
                    + escape(truncate(sdk.path("description").asText(""), 280))));
            blocks.add(context("by " + escape(sdk.path("publisher").asText()) + " | " + escape(sdk.path("license")
                    .asText("no license")) + " | " + sdk.path("downloads").asLong() + " downloads"));
        }
        if (blocks.isEmpty()) {
            blocks.add(section("No SDK matches _" + escape(query) + "_."));
        }
        return message(query.isEmpty() ? "SDKs" : "SDKs matching \"" + truncate(query, 100) + "\"", blocks);
    }

    private Map<String, Object> environments(String tenant, String requestId) {
        JsonNode list = api.send(PlatformApi.Call.get("environment-manager", "/api/v1/environments"), token(tenant),
                requestId);
        List<Object> blocks = new ArrayList<>();
        JsonNode items = list.isArray() ? list : list.path("items");
        int shown = 0;
        for (JsonNode env : items) {
            if (shown++ == 20) {
                blocks.add(context("and " + (items.size() - 20) + " more"));
                break;
            }
            blocks.add(section("*" + escape(env.path("name").asText()) + "* " + phase(env.path("phase").asText())
                    + (env.hasNonNull("expiresAt") ? "  expires " + escape(env.path("expiresAt").asText()) : "")));
        }
        if (blocks.isEmpty()) {
            blocks.add(section("No environments."));
        }
        return message("Environments", blocks);
    }

    private Map<String, Object> environment(String tenant, String name, String requestId) {
        JsonNode env = api.send(PlatformApi.Call.get("environment-manager", "/api/v1/environments/"
                + PlatformApi.segment(name)), token(tenant), requestId);
        List<Object> blocks = new ArrayList<>();
        blocks.add(section("*" + escape(env.path("name").asText()) + "* " + phase(env.path("phase").asText())
                + (env.hasNonNull("message") ? "\n" + escape(env.path("message").asText()) : "")));
        List<String> facts = new ArrayList<>();
        for (String field : List.of("owner", "template", "namespace", "createdAt", "expiresAt")) {
            if (env.hasNonNull(field)) {
                facts.add(field + ": " + escape(env.path(field).asText()));
            }
        }
        if (!facts.isEmpty()) {
            blocks.add(context(String.join(" | ", facts)));
        }
        for (JsonNode endpoint : env.path("endpoints")) {
            blocks.add(section(escape(endpoint.path("name").asText()) + ": " + escape(endpoint.path("url").asText())));
        }
        return message("Environment " + name, blocks);
    }

    private Map<String, Object> ccdm(String tenant, String norad, String requestId) {
        if (!norad.matches("[0-9]{1,9}")) {
            return message("CCDM", List.of(section("Give the object's NORAD catalog number, e.g. `/dbp ccdm 25544`.")));
        }
        JsonNode a = api.send(PlatformApi.Call.get("orbital", "/api/v1/orbital/ccdm/" + norad), token(tenant),
                requestId);
        List<Object> blocks = new ArrayList<>();
        blocks.add(section("*" + escape(a.path("objectName").asText("NORAD " + norad)) + "* (" + norad + ")\nCCDM: *"
                + escape(a.path("ccdmType").asText()) + "*  threat: *" + escape(a.path("threatLevel").asText())
                + "*  confidence " + String.format(Locale.ROOT, "%.2f", a.path("confidence").asDouble())));
        for (JsonNode indicator : a.path("indicators")) {
            blocks.add(context(escape(indicator.path("type").asText()) + ": " + escape(truncate(indicator.path("summary")
                    .asText(""), 200))));
        }
        blocks.add(context("assessed " + escape(a.path("assessedAt").asText()) + " | epoch "
                + escape(a.path("epoch").asText())));
        return message("CCDM of " + norad, blocks);
    }

    private String token(String tenant) {
        return tokens.tokenFor(tenant, "viewer");
    }

    private static String phase(String phase) {
        return switch (phase) {
            case "Ready" -> ":large_green_circle: Ready";
            case "Failed", "Expired" -> ":red_circle: " + phase;
            case "Sleeping" -> ":zzz: Sleeping";
            default -> ":large_yellow_circle: " + escape(phase);
        };
    }

    /** An ephemeral Block Kit message: a header, the blocks, and the title as the notification's text. */
    static Map<String, Object> message(String title, List<Object> blocks) {
        List<Object> all = new ArrayList<>();
        all.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", truncate(title, 150))));
        all.addAll(blocks.subList(0, Math.min(blocks.size(), 49)));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("response_type", "ephemeral");
        message.put("text", truncate(title, 150));
        message.put("blocks", all);
        return message;
    }

    static Map<String, Object> section(String markdown) {
        return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", truncate(markdown, 3000)));
    }

    static Map<String, Object> context(String markdown) {
        return Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", truncate(markdown, 3000))));
    }

    /** Slack's three control characters in message text. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
