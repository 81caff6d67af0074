package io.defensebuilders.environments.grpc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.environments.config.EnvironmentsConfig;

/**
 * Internal tokens for an environment's tenant, so the operator can ask the registry on the tenant's behalf (private
 * SDKs resolve only for their own tenant). The gateway mints them for a platform-admin API key; each is kept until
 * shortly before it expires. The key and the tokens are never logged.
 */
@ApplicationScoped
public class RegistryTokens {

    private record Minted(String token, Instant expiresAt) {
    }

    private final Optional<String> apiKey;
    private final String gatewayUrl;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    public RegistryTokens(EnvironmentsConfig config, ObjectMapper json) {
        this.apiKey = config.registry().gatewayApiKey().filter(k -> !k.isBlank());
        this.gatewayUrl = config.registry().gatewayUrl();
        this.json = json;
    }

    /** A bearer token for {@code tenant} with the viewer role. */
    public String tokenFor(String tenant) {
        Minted hit = cache.get(tenant);
        if (hit != null && hit.expiresAt().isAfter(Instant.now().plusSeconds(10))) {
            return hit.token();
        }
        if (apiKey.isEmpty()) {
            throw new ResolutionException("the operator has no registry credentials (set"
                    + " DBP_ENVIRONMENTS_REGISTRY_GATEWAY_API_KEY) and this spec was not resolved through the REST API",
                    false);
        }
        try {
            String body = json.writeValueAsString(Map.of("tenant", tenant, "subject", "service:environment-manager",
                    "roles", java.util.List.of("viewer")));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl
                    + "/api/v1/gateway/tokens"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + apiKey.get())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ResolutionException("the gateway refused to mint a registry token (HTTP "
                        + response.statusCode() + ")", false);
            }
            JsonNode minted = json.readTree(response.body());
            Minted m = new Minted(minted.path("token").asText(), Instant.parse(minted.path("expiresAt").asText()));
            cache.put(tenant, m);
            return m.token();
        } catch (java.io.IOException e) {
            throw new ResolutionException("the gateway is unreachable for a registry token: " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolutionException("interrupted", false);
        }
    }
}
