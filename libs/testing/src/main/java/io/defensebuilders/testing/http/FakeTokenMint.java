package io.defensebuilders.testing.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.defensebuilders.testing.jwt.TokenIssuer;

/**
 * The gateway's {@code POST /api/v1/gateway/tokens} for a service under test that mints internal tokens with a
 * platform-admin API key (platform-common's GatewayTokens): real HTTP on a free loopback port, the key checked (401
 * otherwise), the tokens signed by a {@link TokenIssuer}. {@link #minted()} lists what was asked for.
 */
public final class FakeTokenMint implements AutoCloseable {

    /** One request: the tenant, subject and role claims asked for. */
    public record Mint(String tenant, String subject, List<String> roles) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Mint> minted = new CopyOnWriteArrayList<>();

    private FakeTokenMint(HttpServer server) {
        this.server = server;
    }

    /** Serves the endpoint for {@code apiKey}, tokens signed by {@code issuer} and valid for {@code ttl}. */
    public static FakeTokenMint start(String apiKey, TokenIssuer issuer, Duration ttl) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FakeTokenMint mint = new FakeTokenMint(server);
        server.createContext("/api/v1/gateway/tokens", exchange -> {
            try (exchange) {
                if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                        || !"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                List<String> roles = JSON.convertValue(body.path("roles"), JSON.getTypeFactory()
                        .constructCollectionType(List.class, String.class));
                Mint m = new Mint(body.path("tenant").asText(), body.path("subject").asText(), roles);
                mint.minted.add(m);
                String token = issuer.token(m.tenant(), m.subject(), roles.toArray(String[]::new)).expiresIn(ttl)
                        .sign();
                byte[] answer = JSON.writeValueAsBytes(java.util.Map.of("token", token, "expiresAt",
                        Instant.now().plus(ttl).toString()));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        return mint;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Mint> minted() {
        return List.copyOf(minted);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
