package io.defensebuilders.aitools.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.RegistryV1;

/**
 * Indexes an SDK's README when one of its versions is published: the README of the SDK's latest version (a patch of
 * an older line does not replace the newest README), read from the registry as a viewer of the SDK's tenant, kept
 * with the SDK's visibility (a private SDK's README is found by its tenant only).
 */
@ApplicationScoped
public class ReadmeIndexer {

    /** The registry could not be asked now: the event is tried again. */
    public static final class NotNow extends RuntimeException {
        NotNow(String message) {
            super(message);
        }
    }

    private static final Logger LOG = Logger.getLogger(ReadmeIndexer.class);
    private static final String REGISTRY = "sdk-registry";
    private final PlatformApi api;
    private final TenantTokens tokens;
    private final DocsIndex index;
    private volatile boolean warnedNoKey;

    public ReadmeIndexer(PlatformApi api, TenantTokens tokens, DocsIndex index) {
        this.api = api;
        this.tokens = tokens;
        this.index = index;
    }

    /** Handles one registry.v1 event; passages written (0 for events that are not a version's publication). */
    public int handle(CloudEvent<JsonNode> event) {
        JsonNode d = event.data();
        if (!RegistryV1.VERSION_PUBLISHED.equals(event.type()) || d == null || !d.hasNonNull("sdk")
                || !d.hasNonNull("tenant")) {
            return 0;
        }
        if (!tokens.configured()) {
            if (!warnedNoKey) {
                warnedNoKey = true;
                LOG.warn("SDK READMEs are not indexed: no DBP_AI_TOOLS_INTEGRATIONS_GATEWAY_API_KEY to read them with");
            }
            return 0;
        }
        String tenant = d.path("tenant").asText();
        String sdk = d.path("sdk").asText();
        try {
            String token = tokens.tokenFor(tenant, "viewer");
            String path = "/api/v1/sdks/" + PlatformApi.segment(sdk);
            JsonNode found = api.send(PlatformApi.Call.get(REGISTRY, path), token, null);
            String latest = found.path("latestVersion").asText(d.path("version").asText());
            JsonNode version = api.send(PlatformApi.Call.get(REGISTRY, path + "/versions/" + PlatformApi.segment(latest)),
                    token, null);
            int written = index.indexReadme(tenant, "public".equals(found.path("visibility").asText()), sdk, latest,
                    version.path("readme").asText(null));
            LOG.debugf("indexed the README of %s@%s: %d passages", sdk, latest, written);
            return written;
        } catch (PlatformApi.Refusal e) {
            if (e.transientFailure()) {
                throw new NotNow(e.getMessage());
            }
            LOG.debugf("README of %s not indexed: %s", sdk, e.getMessage());
            return 0;
        } catch (io.defensebuilders.platform.auth.GatewayTokens.UnavailableException e) {
            throw new NotNow(e.getMessage());
        }
    }
}
