package io.defensebuilders.platform.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Internal tokens a service gets from the gateway ({@code POST /api/v1/gateway/tokens}, platform admins only) to call
 * another service on a tenant's behalf when no caller's token is at hand: work a Kafka event or a reconcile loop
 * started. The service holds a platform-admin API key for it; each token is kept until shortly before it expires. The
 * key and the tokens are never logged.
 */
public final class GatewayTokens {

    /** No token: the service has no key, or the gateway cannot be reached or refused. */
    public static final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private record Minted(String token, Instant expiresAt) {
    }

    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(10);

    private final Optional<String> apiKey;
    private final String gatewayUrl;
    private final String subject;
    private final String keySetting;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<List<String>, Minted> cache = new ConcurrentHashMap<>();

    /**
     * @param apiKey the platform-admin API key (absent or blank: no tokens)
     * @param gatewayUrl the gateway's base URL
     * @param subject who the tokens name, e.g. {@code service:orbital}
     * @param keySetting the setting that holds the key, named in the refusal when it is missing
     */
    public GatewayTokens(Optional<String> apiKey, String gatewayUrl, String subject, String keySetting,
            ObjectMapper json) {
        this.apiKey = apiKey.filter(k -> !k.isBlank());
        this.gatewayUrl = gatewayUrl.replaceFirst("/+$", "");
        this.subject = subject;
        this.keySetting = keySetting;
        this.json = json;
    }

    /** Whether this service has a key to ask with. */
    public boolean configured() {
        return apiKey.isPresent();
    }

    /** A bearer token for {@code tenant} with {@code roles} (claim values, e.g. {@code viewer}); blocks. */
    public String tokenFor(String tenant, List<String> roles) {
        List<String> key = new java.util.ArrayList<>(roles);
        key.addFirst(tenant);
        Minted hit = cache.get(key);
        if (hit != null && hit.expiresAt().isAfter(Instant.now().plus(REFRESH_BEFORE_EXPIRY))) {
            return hit.token();
        }
        if (apiKey.isEmpty()) {
            throw new UnavailableException("no API key to ask the gateway for a token with (set " + keySetting + ")");
        }
        try {
            String body = json.writeValueAsString(Map.of("tenant", tenant, "subject", subject, "roles", roles));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl
                    + "/api/v1/gateway/tokens"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + apiKey.get())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new UnavailableException("the gateway refused to mint a token (HTTP " + response.statusCode()
                        + ")");
            }
            JsonNode minted = json.readTree(response.body());
            Minted m = new Minted(minted.path("token").asText(), Instant.parse(minted.path("expiresAt").asText()));
            cache.put(key, m);
            return m.token();
        } catch (IOException e) {
            throw new UnavailableException("the gateway is unreachable for a token: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        }
    }
}
