package io.defensebuilders.aitools.service;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.web.RequestIds;
import io.quarkiverse.mcp.server.ToolCallException;

/**
 * The platform's REST APIs as the tools see them: each call goes straight to the service with the caller's internal
 * JWT, so it is authorized and tenant-scoped exactly as the caller's own REST call would be (another tenant's
 * environment is a 404 here too). A refusal becomes a tool error carrying the problem's detail; a service that does
 * not answer, one saying so. Blocking: tools run on worker threads.
 */
@ApplicationScoped
public class PlatformApi {

    /**
     * One call: service, method, path (already encoded), query, body (JSON unless {@code contentType} says otherwise),
     * and what it accepts.
     */
    public record Call(String service, String method, String path, Map<String, String> query, Object body,
            String contentType, String accept) {

        private static final String JSON = "application/json, application/problem+json";

        public static Call get(String service, String path) {
            return new Call(service, "GET", path, new LinkedHashMap<>(), null, null, JSON);
        }

        public static Call post(String service, String path, Object body) {
            return new Call(service, "POST", path, new LinkedHashMap<>(), body, null, JSON);
        }

        public static Call delete(String service, String path) {
            return new Call(service, "DELETE", path, new LinkedHashMap<>(), null, null, JSON);
        }

        /** The answer asked for in {@code type} (text/csv, application/x-yaml...). */
        public Call accept(String type) {
            return new Call(service, method, path, query, body, contentType, type + ", application/problem+json");
        }

        /** Adds a query parameter when {@code value} is present. */
        public Call query(String name, Object value) {
            if (value != null && !value.toString().isBlank()) {
                query.put(name, value.toString());
            }
            return this;
        }

        /** A PUT of {@code file}'s bytes as {@code type} (an SDK artifact). */
        public static Call putFile(String service, String path, java.nio.file.Path file, String type) {
            return new Call(service, "PUT", path, new LinkedHashMap<>(), file, type, JSON);
        }

        /** The body sent as is, with its content type (e.g. TLE text). */
        public Call raw(String text, String type) {
            return new Call(service, method, path, query, text, type, accept);
        }
    }

    /**
     * A call that did not succeed: the service refused it ({@link #status()} 4xx: the same call will be refused again)
     * or could not answer (5xx, a timeout, no connection: {@link #transientFailure()}, worth trying later). A tool
     * answers it as a tool error with the message.
     */
    public static final class Refusal extends ToolCallException {
        private final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status; 0 when the service did not answer. */
        public int status() {
            return status;
        }

        /** Whether trying again later may succeed. */
        public boolean transientFailure() {
            return status == 0 || status >= 500 || status == 429 || status == 408;
        }
    }

    private final AiToolsConfig config;
    private final ObjectMapper json;
    /** Each service's base URLs (several: replicas, as the local runtime lists them, taken in turn). */
    private final Map<String, List<String>> bases;
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PlatformApi(AiToolsConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.bases = new java.util.HashMap<>();
        config.services().forEach((name, service) -> bases.put(name, java.util.Arrays.stream(service.url().split(","))
                .map(u -> u.trim().replaceFirst("/+$", "")).toList()));
    }

    /** A JSON object of the given members in order ({@code name, value, name, value...}), those without a value left out. */
    public static Map<String, Object> body(Object... members) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i + 1 < members.length; i += 2) {
            if (members[i + 1] != null) {
                body.put((String) members[i], members[i + 1]);
            }
        }
        return body;
    }

    /** A path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The call's answer as JSON (null node for an empty 2xx answer); a refusal or failure as a tool error. */
    public JsonNode send(Call call, String token, String requestId) {
        HttpResponse<String> response = exchange(call, token, requestId);
        if (response.body() == null || response.body().isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            // a text answer (a kubeconfig, CSV) is returned as a JSON string
            return json.getNodeFactory().textNode(response.body());
        }
    }

    /** The call's answer read as {@code view} (fields the view does not name are ignored). */
    public <T> T send(Call call, String token, String requestId, Class<T> view) {
        return as(send(call, token, requestId), view);
    }

    /** The answer's text as it came (kubeconfig YAML, CDM XML, CSV). */
    public String text(Call call, String token, String requestId) {
        return exchange(call, token, requestId).body();
    }

    public <T> T as(JsonNode node, Class<T> view) {
        try {
            return json.treeToValue(node, view);
        } catch (JsonProcessingException e) {
            throw new ToolCallException("the " + view.getSimpleName() + " answer could not be read: "
                    + e.getOriginalMessage());
        }
    }

    private HttpResponse<String> exchange(Call call, String token, String requestId) {
        List<String> urls = bases.get(call.service());
        if (urls == null) {
            throw new IllegalStateException("no dbp.ai-tools.services." + call.service() + ".url");
        }
        String base = urls.get(Math.floorMod(turn.getAndIncrement(), urls.size()));
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        call.query().forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path() + query))
                .timeout(config.callTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", call.accept());
        if (requestId != null) {
            request.header(RequestIds.HEADER, requestId);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (call.body() != null) {
            try {
                if (call.body() instanceof java.nio.file.Path file) {
                    body = HttpRequest.BodyPublishers.ofFile(file);
                } else {
                    String text = call.contentType() != null ? (String) call.body() : json.writeValueAsString(call.body());
                    body = HttpRequest.BodyPublishers.ofString(text);
                }
                request.header("Content-Type", call.contentType() != null ? call.contentType() : "application/json");
            } catch (JsonProcessingException | java.io.FileNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        request.method(call.method(), body);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Refusal(0, call.service() + " did not answer within " + config.callTimeout().toSeconds()
                    + " s; try again later");
        } catch (IOException e) {
            throw new Refusal(0, call.service() + " is unavailable; try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolCallException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new Refusal(response.statusCode(), refusal(call, response));
        }
        return response;
    }

    /** The problem's detail (and its field errors), prefixed with its status: what a person or a model can act on. */
    private String refusal(Call call, HttpResponse<String> response) {
        int status = response.statusCode();
        String detail = null;
        StringBuilder fields = new StringBuilder();
        try {
            JsonNode problem = json.readTree(response.body() == null ? "" : response.body());
            if (problem != null) {
                detail = problem.path("detail").asText(problem.path("error").asText(null));
                for (JsonNode error : problem.path("errors")) {
                    String field = error.path("field").asText() + ": " + error.path("message").asText();
                    // a detail often quotes the first error already
                    if (detail == null || !detail.contains(field)) {
                        fields.append("; ").append(field);
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // not a problem document: the status says enough
        }
        if (status >= 500) {
            return call.service() + " could not answer (HTTP " + status + ")" + (detail == null ? "" : ": " + detail)
                    + "; try again later";
        }
        return "HTTP " + status + ": " + (detail == null || detail.isBlank() ? "refused by " + call.service() : detail)
                + fields;
    }
}
