package io.defensebuilders.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Billing's REST API as the bench calls it, directly on the bench's billing process, each call with a fresh
 * platform-admin internal token minted at the gateway with the bootstrap API key (they live 60 s:
 * dbp.gateway.token.ttl).
 */
final class BillingApi {

    private final HttpClient http;
    private final ObjectMapper json;
    private final String gateway;
    private final String apiKey;
    private final int port;

    BillingApi(HttpClient http, ObjectMapper json, String gateway, String apiKey, int port) {
        this.http = http;
        this.json = json;
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.port = port;
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    void send(String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private String adminToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/gateway/tokens"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("tenant", "platform", "subject", "bench-billing", "roles", List.of("platform-admin")))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("minting a token: " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body()).get("token").asText();
    }
}
