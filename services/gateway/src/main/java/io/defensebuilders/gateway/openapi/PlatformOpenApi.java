package io.defensebuilders.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;

/**
 * One OpenAPI document for the whole public API: the gateway's own operations plus every upstream's operations under
 * the prefixes the gateway routes to it, fetched from each service's {@code /q/openapi} and cached for a minute. A
 * schema name two services use differently is prefixed with the service's name. Security is the gateway's: API keys
 * or IdP bearer tokens.
 */
@Path("/openapi.json")
@ApplicationScoped
@Tag(name = "OpenAPI")
public class PlatformOpenApi {

    private static final Logger LOG = Logger.getLogger(PlatformOpenApi.class);
    private static final Duration TTL = Duration.ofMinutes(1);

    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String cached;
    private volatile long cachedAt;

    public PlatformOpenApi(GatewayConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @GET
    @PermitAll
    @Produces("application/json")
    @Operation(summary = "The OpenAPI document of the whole public API", description = "Merged from the gateway and every routed service.")
    public Uni<String> document() {
        if (cached != null && System.currentTimeMillis() - cachedAt < TTL.toMillis()) {
            return Uni.createFrom().item(cached);
        }
        List<CompletableFuture<Map.Entry<String, JsonNode>>> fetches = new ArrayList<>();
        config.routes().forEach((name, route) -> fetches.add(fetch(name, route)));
        return Uni.createFrom().completionStage(CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)))
                .map(ignored -> {
                    String merged = merge(fetches.stream().map(CompletableFuture::join).toList());
                    cached = merged;
                    cachedAt = System.currentTimeMillis();
                    return merged;
                });
    }

    /** One replica's document: every replica of a service serves the same one; the next is asked if one is down. */
    private CompletableFuture<Map.Entry<String, JsonNode>> fetch(String name, GatewayConfig.Route route) {
        return fetch(name, route.url(), 0);
    }

    private CompletableFuture<Map.Entry<String, JsonNode>> fetch(String name, List<java.net.URI> replicas, int index) {
        HttpRequest request = HttpRequest.newBuilder(replicas.get(index).resolve("/q/openapi?format=json"))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(5)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null || response.statusCode() != 200) {
                LOG.debugf("OpenAPI of %s unavailable: %s", name, failure == null ? response.statusCode() : failure);
                return null;
            }
            try {
                return mapper.readTree(response.body());
            } catch (IOException e) {
                return null;
            }
        }).thenCompose(doc -> doc == null && index + 1 < replicas.size() ? fetch(name, replicas, index + 1)
                : CompletableFuture.completedFuture(Map.entry(name, doc == null ? (JsonNode) mapper.nullNode() : doc)));
    }

    private String merge(List<Map.Entry<String, JsonNode>> upstreams) {
        ObjectNode doc = own();
        doc.put("openapi", doc.path("openapi").asText("3.1.0"));
        ObjectNode info = doc.putObject("info");
        info.put("title", "Defense Builders Platform API");
        info.put("version", "1");
        info.put("description", "Every public endpoint of the platform, through the gateway. Authenticate with an API key"
                + " (Authorization: Bearer dbp_...) or a bearer token of a trusted identity provider.");
        ObjectNode paths = doc.with("paths");
        ObjectNode schemas = doc.with("components").with("schemas");
        ArrayNode unavailable = mapper.createArrayNode();
        for (Map.Entry<String, JsonNode> upstream : upstreams) {
            JsonNode theirs = upstream.getValue();
            if (theirs == null || theirs.isNull() || theirs.isMissingNode()) {
                unavailable.add(upstream.getKey());
                continue;
            }
            theirs = renameClashes(upstream.getKey(), theirs, schemas);
            List<String> prefixes = config.routes().get(upstream.getKey()).prefixes();
            for (Iterator<Map.Entry<String, JsonNode>> it = theirs.path("paths").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> path = it.next();
                if (prefixes.stream().anyMatch(p -> path.getKey().equals(p) || path.getKey().startsWith(p + "/"))) {
                    paths.set(path.getKey(), path.getValue());
                }
            }
            theirs.path("components").path("schemas").fields().forEachRemaining(s -> schemas.set(s.getKey(), s.getValue()));
        }
        if (!unavailable.isEmpty()) {
            doc.set("x-unavailable-services", unavailable);
        }
        ObjectNode securitySchemes = doc.with("components").putObject("securitySchemes");
        securitySchemes.putObject("apiKey").put("type", "http").put("scheme", "bearer")
                .put("description", "An API key, dbp_<id>_<secret>, as the bearer token");
        securitySchemes.putObject("idpToken").put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
                .put("description", "An access token of a trusted identity provider");
        ArrayNode security = doc.putArray("security");
        security.addObject().putArray("apiKey");
        security.addObject().putArray("idpToken");
        try {
            return mapper.writeValueAsString(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renames the upstream's schemas whose names the merged document already uses for something else. */
    private JsonNode renameClashes(String service, JsonNode theirs, ObjectNode merged) throws IllegalStateException {
        String text = theirs.toString();
        boolean renamed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = theirs.path("components").path("schemas").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> schema = it.next();
            JsonNode existing = merged.get(schema.getKey());
            if (existing != null && !existing.equals(schema.getValue())) {
                String prefixed = service.replaceAll("[^A-Za-z0-9]", "") + "_" + schema.getKey();
                text = text.replace("\"#/components/schemas/" + schema.getKey() + "\"",
                        "\"#/components/schemas/" + prefixed + "\"");
                renamed = true;
            }
        }
        if (!renamed) {
            return theirs;
        }
        try {
            ObjectNode copy = (ObjectNode) mapper.readTree(text);
            ObjectNode schemas = copy.with("components").with("schemas");
            List<String> names = new ArrayList<>();
            schemas.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode existing = merged.get(name);
                if (existing != null && !existing.equals(theirs.path("components").path("schemas").get(name))) {
                    schemas.set(service.replaceAll("[^A-Za-z0-9]", "") + "_" + name, schemas.remove(name));
                }
            }
            return copy;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The gateway's own document, generated at build time. */
    private ObjectNode own() {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("META-INF/quarkus-generated-openapi-doc.JSON")) {
            if (in == null) {
                return mapper.createObjectNode();
            }
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

}
