package io.defensebuilders.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.http.RawHttp;

/**
 * What the fuzzer acts as and on: three tenants on the enterprise plan, an API key per role in each, and private
 * resources of tenant A made through the public API, twice: one set ("own") that A's own fuzz cases may change or
 * delete, and one ("secret") that only the cross-tenant cases name, so that no fuzz case can make it public or
 * delete it before another tenant's access to it is tried.
 */
final class World {

    static final List<String> ROLES = List.of("viewer", "builder", "publisher", "admin");
    static final String A = "fuzz-a";
    static final String B = "fuzz-b";
    static final String C = "fuzz-c";
    static final List<String> TENANTS = List.of(A, B, C);
    static final String PUBLISHER = "fz-a-pub";
    static final String VERSION = "1.0.0";
    static final String DIST_TAG = "beta";
    static final String MEMBER = "fuzz:member-a";
    static final int NORAD = 5;
    /** A TLE with a correct checksum (Vanguard 1, the document's own example). */
    static final String TLE = "VANGUARD 1\n1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753\n"
            + "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** tenant -> role -> API key. */
    final Map<String, Map<String, String>> keys = new LinkedHashMap<>();
    /** Path values of A's resources its own cases use, by resource kind. */
    final Map<String, String> own = new LinkedHashMap<>();
    /** Path values of A's private resources only the cross-tenant cases use, by resource kind. */
    final Map<String, String> secret = new LinkedHashMap<>();
    /** Ids of A's API keys: they are A's callers' subjects ("key:<id>"), which B and C must never see. */
    final List<String> aKeyIds = new ArrayList<>();
    final Set<String> notes = new java.util.LinkedHashSet<>();

    private long started;
    private final RawHttp http;
    private final String bootstrapKey;

    private World(RawHttp http, String bootstrapKey) {
        this.http = http;
        this.bootstrapKey = bootstrapKey;
    }

    /** A world that exists only on paper (made-up keys and ids), for tests of the fuzzer itself. */
    static World onPaper() {
        World w = new World(null, null);
        for (String tenant : TENANTS) {
            Map<String, String> byRole = new LinkedHashMap<>();
            for (String role : ROLES) {
                byRole.put(role, "dbp_" + "0".repeat(16) + "_" + tenant + role);
            }
            w.keys.put(tenant, byRole);
        }
        for (String kind : List.of("api-key", "subscription", "sdk", "screening", "environment")) {
            w.own.put(kind, "own-" + kind);
            w.secret.put(kind, "secret-" + kind);
        }
        w.own.put("element-set", "own-element-set");
        return w;
    }

    String key(String tenant, String role) {
        return keys.get(tenant).get(role);
    }

    /** Makes the tenants, keys and A's resources through the gateway, as a user would. */
    static World seed(RawHttp http, String bootstrapKey) {
        World w = new World(http, bootstrapKey);
        w.started = System.nanoTime();
        for (String tenant : TENANTS) {
            w.call("POST", "/api/v1/tenants", bootstrapKey, "{\"id\":\"" + tenant + "\",\"name\":\"Fuzz " + tenant
                    + "\",\"plan\":\"enterprise\"}", 201);
            Map<String, String> byRole = new LinkedHashMap<>();
            for (String role : ROLES) {
                byRole.put(role, w.newKey(tenant, role, "fuzz " + role));
            }
            w.keys.put(tenant, byRole);
        }
        // keys of A that fuzz cases may revoke (own) or that B and C try to revoke (secret)
        w.own.put("api-key", w.keyId(w.newKey(A, "viewer", "fuzz spare")));
        w.secret.put("api-key", w.keyId(w.newKey(A, "viewer", "fuzz secret")));
        // billing's rate tier wins over the tenant's plan for a subscribed tenant: the dedicated tier, so rate
        // limits stay out of the way (only a platform admin may subscribe a tenant to a contract plan)
        // backdated two periods, so that the invoicing job (run every few seconds by the fleet's billing) drafts
        // invoices for A at once: their ids are private to A too
        String start = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(70).toString();
        JsonNode subscription = w.call("POST", "/api/v1/billing/subscriptions", bootstrapKey,
                "{\"plan\":\"enterprise\",\"tenant\":\"" + A + "\",\"startDate\":\"" + start + "\"}", 201);
        w.own.put("subscription", subscription.path("id").asText());
        w.secret.put("subscription", subscription.path("id").asText());
        w.call("PUT", "/api/v1/tenants/" + A + "/members/" + MEMBER, w.key(A, "admin"), "{\"role\":\"viewer\"}", 200, 201, 204);

        String publisher = w.key(A, "publisher");
        w.call("POST", "/api/v1/publishers", publisher, "{\"name\":\"" + PUBLISHER + "\",\"displayName\":\"Fuzz A\"}", 201);
        for (var set : List.of(Map.entry("own", w.own), Map.entry("secret", w.secret))) {
            String sdk = "fz-a-" + set.getKey() + "-sdk";
            w.call("POST", "/api/v1/sdks", publisher, "{\"name\":\"" + sdk + "\",\"publisher\":\"" + PUBLISHER
                    + "\",\"title\":\"Fuzz\",\"license\":\"MIT\",\"visibility\":\"private\"}", 201);
            w.call("POST", "/api/v1/sdks/" + sdk + "/versions", publisher,
                    "{\"version\":\"" + VERSION + "\",\"readme\":\"# fuzz\"}", 201);
            w.call("PUT", "/api/v1/sdks/" + sdk + "/dist-tags/" + DIST_TAG, publisher, "{\"version\":\"" + VERSION + "\"}", 200,
                    201, 204);
            w.send("PUT", "/api/v1/sdks/" + sdk + "/versions/" + VERSION + "/artifact?filename=fuzz.tgz", publisher,
                    "application/gzip", "fuzz artifact".getBytes(StandardCharsets.UTF_8), 200, 201);
            set.getValue().put("sdk", sdk);
        }
        // a GitHub repository linked to each SDK: integration ids are private to A too
        for (var set : List.of(Map.entry("own", w.own), Map.entry("secret", w.secret))) {
            JsonNode link = w.call("POST", "/api/v1/integrations/github", publisher, "{\"repository\":\"fuzz/"
                    + set.getKey() + "\",\"sdk\":\"" + set.getValue().get("sdk") + "\"}", 201);
            set.getValue().put("integration", link.path("id").asText());
        }
        JsonNode ingested = w.send("POST", "/api/v1/orbital/element-sets", publisher, "text/plain",
                TLE.getBytes(StandardCharsets.UTF_8), 200, 201);
        String elementSet = ingested.path("elementSets").path(0).path("id").asText();
        w.own.put("element-set", elementSet);
        w.call("PUT", "/api/v1/orbital/protected-assets/" + NORAD, w.key(A, "builder"), null, 200, 201, 204);
        for (var set : List.of(w.own, w.secret)) {
            JsonNode screening = w.call("POST", "/api/v1/orbital/screenings", w.key(A, "builder"),
                    "{\"primaries\":[" + NORAD + "],\"windowDays\":0.05,\"thresholdKm\":5}", 202, 201);
            set.put("screening", screening.path("id").asText());
        }
        for (var set : List.of(Map.entry("own", w.own), Map.entry("secret", w.secret))) {
            String env = "fz-a-" + set.getKey() + "-env";
            w.call("POST", "/api/v1/environments", w.key(A, "builder"), "{\"name\":\"" + env + "\",\"template\":\"small\"}",
                    201);
            set.getValue().put("environment", env);
        }
        JsonNode invoices = w.call("GET", "/api/v1/billing/invoices", w.key(A, "admin"), null, 200);
        // billing's invoicing job first runs a minute after its start (a fixed delay), then every 2 s here
        for (long deadline = w.started + Duration.ofSeconds(75).toNanos(); invoices.isArray() && invoices.isEmpty()
                && System.nanoTime() < deadline;) {
            sleep(Duration.ofSeconds(1));
            invoices = w.call("GET", "/api/v1/billing/invoices", w.key(A, "admin"), null, 200);
        }
        if (invoices.isArray() && !invoices.isEmpty()) {
            w.own.put("invoice", invoices.get(0).path("id").asText());
            w.secret.put("invoice", invoices.get(0).path("id").asText());
        } else {
            w.notes.add("billing drafted no invoice for tenant A's backdated subscription in time: "
                    + "/api/v1/billing/invoices/{id} is fuzzed with made-up ids only, and its cross-tenant case is not run");
        }
        return w;
    }

    private String newKey(String tenant, String role, String name) {
        JsonNode key = call("POST", "/api/v1/api-keys", bootstrapKey, "{\"name\":\"" + name + "\",\"roles\":[\"" + role
                + "\"],\"tenant\":\"" + tenant + "\"}", 201);
        if (tenant.equals(A)) {
            aKeyIds.add(key.path("id").asText());
        }
        return key.path("secret").asText();
    }

    private String keyId(String secret) {
        return secret.split("_")[1];
    }

    private JsonNode call(String method, String path, String key, String json, int... expected) {
        return send(method, path, key, json == null ? null : "application/json",
                json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8), expected);
    }

    private JsonNode send(String method, String path, String key, String contentType, byte[] body, int... expected) {
        RawHttp.Request request = RawHttp.Request.apiCall(method, path, key, contentType, body);
        // right after start, plans and JWKS are looked up for the first time: a few tries
        RawHttp.Answer answer = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                answer = http.send(request);
            } catch (IOException e) {
                throw new UncheckedIOException("setup: " + method + " " + path, e);
            }
            if (answer.status() < 500 && answer.status() != 429) {
                break;
            }
            sleep(Duration.ofMillis(500 * (attempt + 1)));
        }
        for (int ok : expected) {
            if (answer.status() == ok) {
                try {
                    return answer.body().length == 0 ? JSON.nullNode() : JSON.readTree(answer.body());
                } catch (IOException e) {
                    return JSON.nullNode();
                }
            }
        }
        throw new IllegalStateException("setup: " + method + " " + path + " answered " + answer.status() + ": "
                + answer.text());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Strings that only A's private resources carry: no answer to B or C may contain one unless it was asked for. */
    List<String> secretMarkers() {
        List<String> markers = new ArrayList<>(secret.values());
        markers.addAll(aKeyIds);
        return markers.stream().filter(m -> m != null && m.length() >= 8).distinct().toList();
    }

    Optional<String> ownValue(String kind) {
        return Optional.ofNullable(own.get(kind));
    }
}
