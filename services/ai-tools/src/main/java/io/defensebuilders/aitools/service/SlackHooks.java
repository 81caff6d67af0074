package io.defensebuilders.aitools.service;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.aitools.Integration;
import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;

/**
 * Slack requests to a linked workspace's URL: the v0 signature over the timestamp and raw body, the timestamp within
 * the replay window (401 otherwise), the workspace the integration links. Events API: {@code url_verification} is
 * answered with its challenge, an {@code event_callback} recorded once by its event_id (Slack's retries are
 * recognised). Slash commands: answered at once by {@link SlashCommands} and recorded by their trigger id.
 */
@ApplicationScoped
public class SlackHooks {

    private final Deliveries deliveries;
    private final SlashCommands commands;
    private final ObjectMapper json;
    private final AiToolsConfig.Integrations config;

    public SlackHooks(Deliveries deliveries, SlashCommands commands, ObjectMapper json, AiToolsConfig config) {
        this.deliveries = deliveries;
        this.commands = commands;
        this.json = json;
        this.config = config.integrations();
    }

    /** The answer's body (JSON), for a request already read whole. */
    public Map<String, Object> receive(UUID id, String timestamp, String signature, String contentType, byte[] body,
            String requestId) {
        Integration integration = deliveries.integration(id, Integration.Kind.SLACK);
        Signatures.SlackVerdict verdict = Signatures.slack(deliveries.secret(integration), timestamp, body, signature,
                Instant.now(), config.slackMaxAge());
        if (verdict != Signatures.SlackVerdict.VALID) {
            deliveries.refused(Integration.Kind.SLACK, verdict == Signatures.SlackVerdict.STALE ? "stale" : "signature");
        }
        switch (verdict) {
            case VALID -> {
            }
            case STALE -> throw new ProblemException(ProblemType.UNAUTHORIZED, "X-Slack-Request-Timestamp is more than "
                    + config.slackMaxAge().toSeconds() + " s from now: refused as a possible replay");
            case MISSING -> throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "X-Slack-Signature (v0=...) and X-Slack-Request-Timestamp are required");
            case MISMATCH -> throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "X-Slack-Signature does not match under this integration's signing secret");
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return event(integration, body);
        }
        Map<String, String> form = form(body);
        if (form.containsKey("command")) {
            return command(integration, form, requestId);
        }
        throw ProblemException.badRequest("neither an Events API event (JSON) nor a slash command (form)");
    }

    private Map<String, Object> event(Integration integration, byte[] body) {
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("the event is not JSON");
        }
        if (event == null || !event.isObject()) {
            throw ProblemException.badRequest("the event is not a JSON object");
        }
        String type = event.path("type").asText();
        if (type.equals("url_verification")) {
            return Map.of("challenge", event.path("challenge").asText());
        }
        if (!type.equals("event_callback")) {
            throw ProblemException.badRequest("unknown event type '" + type + "'");
        }
        requireTeam(integration, event.path("team_id").asText(null));
        JsonNode inner = event.path("event");
        Map<String, String> attributes = new HashMap<>();
        if (inner.hasNonNull("text")) {
            attributes.put("text", inner.path("text").asText().substring(0, Math.min(500, inner.path("text").asText()
                    .length())));
        }
        deliveries.record(integration, new Deliveries.Received(event.path("event_id").asText(null),
                inner.path("type").asText("unknown"), inner.path("channel").asText(null), inner.path("user").asText(null),
                attributes, null));
        return Map.of();
    }

    private Map<String, Object> command(Integration integration, Map<String, String> form, String requestId) {
        requireTeam(integration, form.get("team_id"));
        String text = form.getOrDefault("text", "");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("command", form.get("command"));
        attributes.put("text", text.substring(0, Math.min(200, text.length())));
        String trigger = form.get("trigger_id");
        if (trigger != null && !trigger.isBlank()) {
            deliveries.record(integration, new Deliveries.Received(trigger, "command", form.get("channel_id"),
                    form.get("user_id"), attributes, null));
        }
        return commands.answer(integration.tenant(), form.get("command"), text, requestId);
    }

    private static void requireTeam(Integration integration, String team) {
        if (team == null || !team.equals(integration.target())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "this request is from workspace " + team
                    + "; the integration links " + integration.target());
        }
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("the form is not URL-encoded");
                }
            }
        }
        return form;
    }
}
