package io.defensebuilders.aitools.api;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptArg;
import io.quarkiverse.mcp.server.PromptMessage;

/** Prompts for the platform's common workflows, each naming the tools and resources it takes. */
public class PlatformPrompts {

    @Prompt(name = "assess_satellite", title = "Assess a satellite", description = "A CCDM assessment of a space "
            + "object with its recent maneuvers and conjunctions, summarised for an operator.")
    public PromptMessage assessSatellite(@PromptArg(description = "NORAD catalog id") String noradId) {
        return PromptMessage.withUserRole("Assess the space object with NORAD id " + noradId + " on the Defense "
                + "Builders Platform. 1. Call assess_ccdm for it and explain its threat level and each indicator's "
                + "evidence. 2. Call list_maneuvers with its noradId and summarise the recent maneuvers (type, "
                + "delta-v, when). 3. Call screen_conjunctions with primaries [" + noradId + "] over 3 days and report "
                + "the closest approaches. End with what an operator should watch next.");
    }

    @Prompt(name = "setup_tak_sandbox", title = "Set up a TAK sandbox", description = "Finds the TAK SDKs and "
            + "starts a sandbox environment running them.")
    public PromptMessage setupTakSandbox(
            @PromptArg(description = "Environment name (optional)", required = false) String name) {
        return PromptMessage.withUserRole("Set up a TAK sandbox on the Defense Builders Platform. 1. Call "
                + "search_sdks with query 'tak' and pick the TAK server SDK. 2. Call resolve_sdk to see the version "
                + "^-range latest resolves to. 3. Call create_environment with that SDK"
                + (name == null || name.isBlank() ? "" : " and name " + name) + ", template small, ttl 8h. 4. Call "
                + "get_environment until its phase is Ready and list its endpoints. 5. Offer get_kubeconfig.");
    }

    @Prompt(name = "publish_sdk", title = "Publish an SDK version", description = "Checks an SDK's published "
            + "versions and publishes the next one.")
    public PromptMessage publishSdk(@PromptArg(description = "SDK name") String name,
            @PromptArg(description = "Version to publish (SemVer)") String version) {
        return PromptMessage.withUserRole("Publish version " + version + " of the SDK " + name + " on the Defense "
                + "Builders Platform. 1. Call list_sdk_versions for " + name + " and check " + version + " is new and "
                + "higher than the latest. 2. Draft release notes from the repository's changes as the README. 3. Call "
                + "publish_sdk_version with them. 4. Call resolve_sdk with range " + version + " to confirm.");
    }
}
