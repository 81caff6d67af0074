package io.defensebuilders.aitools.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.NotificationType;
import io.defensebuilders.aitools.Subscription;

/**
 * A notification as each channel shows it, from its stored payload ({@code {type, timestamp, data}}, what a webhook
 * receives as is): a title, one line and a few facts, as Slack Block Kit or a Teams Adaptive Card.
 */
@ApplicationScoped
public class NotificationMessages {

    /** What any channel shows. */
    record Summary(String title, String line, Map<String, String> facts) {
    }

    /** The body to send to {@code channel}: the payload itself for a webhook. */
    public Object body(Subscription.Channel channel, JsonNode payload) {
        return switch (channel) {
            case WEBHOOK -> payload;
            case SLACK -> slack(summary(payload));
            case TEAMS -> teams(summary(payload));
        };
    }

    Summary summary(JsonNode payload) {
        JsonNode d = payload.path("data");
        String type = payload.path("type").asText();
        String title = NotificationType.of(type).map(NotificationType::title).orElse(type);
        Map<String, String> facts = new LinkedHashMap<>();
        String line;
        switch (type) {
            case "ccdm.changed" -> {
                String object = d.path("objectName").asText("NORAD " + d.path("noradId").asText()) + " (NORAD "
                        + d.path("noradId").asText() + ")";
                line = object + ": threat " + (d.hasNonNull("previousThreatLevel") ? d.path("previousThreatLevel")
                        .asText() + " -> " : "") + d.path("threatLevel").asText() + ", " + d.path("ccdmType").asText();
                facts.put("Confidence", String.format(Locale.ROOT, "%.2f", d.path("confidence").asDouble()));
                facts.put("Epoch", d.path("epoch").asText());
                for (JsonNode indicator : d.path("indicators")) {
                    if (facts.size() < 6) {
                        facts.put(indicator.path("type").asText(), indicator.path("summary").asText(""));
                    }
                }
            }
            case "conjunction.found" -> {
                line = d.path("primaryName").asText("NORAD " + d.path("primaryNoradId").asText()) + " and "
                        + d.path("secondaryName").asText("NORAD " + d.path("secondaryNoradId").asText())
                        + String.format(Locale.ROOT, ": %.3f km at %s", d.path("missDistanceKm").asDouble(),
                                d.path("tca").asText());
                if (d.hasNonNull("probability")) {
                    facts.put("Probability of collision", String.format(Locale.ROOT, "%.2e", d.path("probability")
                            .asDouble()));
                }
                facts.put("Relative speed", String.format(Locale.ROOT, "%.2f km/s", d.path("relativeSpeedKmS")
                        .asDouble()));
                facts.put("Screening", d.path("screeningId").asText());
            }
            case "environment.ready", "environment.failed", "environment.expiring", "environment.expired" -> {
                line = "Environment " + d.path("environment").asText() + ": " + d.path("phase").asText()
                        + (d.hasNonNull("reason") ? " (" + d.path("reason").asText() + ")" : "");
                facts.put("Owner", d.path("owner").asText());
                facts.put("Namespace", d.path("namespace").asText());
            }
            case "invoice.issued" -> {
                line = "Invoice " + d.path("number").asText() + " for " + d.path("periodStart").asText() + " to "
                        + d.path("periodEnd").asText() + ": " + d.path("total").asText() + " " + d.path("currency")
                                .asText();
                facts.put("Invoice", d.path("invoiceId").asText());
            }
            case "plan.limit-near" -> {
                line = (d.path("percent").asInt() >= 100 ? "Reached" : d.path("percent").asInt() + " % used:") + " "
                        + d.path("feature").asText() + " on plan " + d.path("plan").asText() + ", " + d.path("used")
                                .asLong()
                        + " of " + d.path("limit").asLong() + " this period";
                facts.put("Period", d.path("periodStart").asText() + " to " + d.path("periodEnd").asText());
            }
            default -> line = d.path("message").asText("A notification from the Defense Builders Platform");
        }
        facts.put("When", payload.path("timestamp").asText());
        return new Summary(title, line, facts);
    }

    static Map<String, Object> slack(Summary s) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", s.title())));
        blocks.add(SlashCommands.section(SlashCommands.escape(s.line())));
        List<Object> fields = new ArrayList<>();
        s.facts().forEach((k, v) -> fields.add(Map.of("type", "mrkdwn", "text", "*" + SlashCommands.escape(k) + "*\n"
                + SlashCommands.escape(v))));
        if (!fields.isEmpty()) {
            blocks.add(Map.of("type", "section", "fields", fields.subList(0, Math.min(10, fields.size()))));
        }
        return Map.of("text", s.title() + ": " + s.line(), "blocks", blocks);
    }

    static Map<String, Object> teams(Summary s) {
        List<Object> facts = new ArrayList<>();
        s.facts().forEach((k, v) -> facts.add(Map.of("title", k, "value", v)));
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", List.of(
                Map.of("type", "TextBlock", "size", "Medium", "weight", "Bolder", "text", s.title(), "wrap", true),
                Map.of("type", "TextBlock", "text", s.line(), "wrap", true),
                Map.of("type", "FactSet", "facts", facts)));
        return Map.of("type", "message", "attachments", List.of(Map.of("contentType",
                "application/vnd.microsoft.card.adaptive", "content", card)));
    }
}
