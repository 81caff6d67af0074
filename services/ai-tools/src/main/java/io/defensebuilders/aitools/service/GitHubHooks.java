package io.defensebuilders.aitools.service;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.aitools.Integration;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.vertx.core.json.JsonObject;

/**
 * GitHub webhook deliveries: the signature over the raw body first (401 otherwise), then the repository it is for,
 * then the record (a redelivery is recognised by its X-GitHub-Delivery id). A published release of the linked
 * repository becomes work: publishing the release as a version of the linked SDK ({@link ReleasePublisher}).
 */
@ApplicationScoped
public class GitHubHooks {

    /** The answer to a delivery. */
    public record Outcome(String delivery, String event, boolean duplicate, boolean work) {
    }

    private final Deliveries deliveries;
    private final ObjectMapper json;

    public GitHubHooks(Deliveries deliveries, ObjectMapper json) {
        this.deliveries = deliveries;
        this.json = json;
    }

    public Outcome receive(UUID id, String event, String deliveryId, String signature, String contentType,
            byte[] body) {
        Integration integration = deliveries.integration(id, Integration.Kind.GITHUB);
        if (!Signatures.github(deliveries.secret(integration), body, signature)) {
            deliveries.refused(Integration.Kind.GITHUB, "signature");
            throw new ProblemException(ProblemType.UNAUTHORIZED, signature == null
                    ? "X-Hub-Signature-256 is missing: set the webhook's secret in GitHub"
                    : "X-Hub-Signature-256 does not match the body under this integration's secret");
        }
        if (event == null || event.isBlank()) {
            throw ProblemException.badRequest("X-GitHub-Event is missing");
        }
        JsonNode payload = payload(contentType, body);
        String action = payload.path("action").asText(null);
        String repository = payload.path("repository").path("full_name").asText(null);
        if (repository != null && !repository.toLowerCase(Locale.ROOT).equals(integration.target())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "this delivery is for " + repository
                    + "; the integration links " + integration.target());
        }
        String normalised = action == null ? event : event + "." + action;
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonObject work = null;
        JsonNode release = payload.path("release");
        if (event.equals("release")) {
            attributes.put("tag", release.path("tag_name").asText());
            attributes.put("prerelease", Boolean.toString(release.path("prerelease").asBoolean()));
            if ("published".equals(action) && !release.path("draft").asBoolean()) {
                work = new JsonObject().put("tenant", integration.tenant()).put("sdk", integration.sdk())
                        .put("repository", integration.target()).put("tag", release.path("tag_name").asText())
                        .put("notes", release.path("body").asText(null))
                        .put("tarball", release.path("tarball_url").asText(null));
            }
        } else if (event.equals("push")) {
            attributes.put("ref", payload.path("ref").asText());
            attributes.put("after", payload.path("after").asText());
        } else if (event.equals("ping")) {
            attributes.put("hook", payload.path("hook_id").asText());
        }
        String actor = payload.path("sender").path("login").asText(null);
        boolean first = deliveries.record(integration, new Deliveries.Received(deliveryId, normalised, repository,
                actor, attributes, work));
        return new Outcome(deliveryId, normalised, !first, first && work != null);
    }

    /** The JSON payload: the body itself, or its {@code payload} field when the hook sends form data. */
    private JsonNode payload(String contentType, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            text = "";
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (pair.startsWith("payload=")) {
                    text = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw ProblemException.badRequest("the delivery's payload is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ProblemException.badRequest("the delivery's payload is not JSON");
        }
    }
}
