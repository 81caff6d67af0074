package io.defensebuilders.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.defensebuilders.testing.infra.KeycloakRealm;
import io.defensebuilders.testing.infra.KeycloakServer;
import io.defensebuilders.testing.infra.ServerProcess;

/**
 * The local runtime's identity provider: Keycloak on {@code DBP_KEYCLOAK_PORT} (8180; its management interface on
 * {@code DBP_KEYCLOAK_MANAGEMENT_PORT}, 9180) with the platform's realm ({@code deploy/local/keycloak}), trusted by the
 * gateway as the OIDC tenant {@code keycloak}, and a demo tenant with one demo person per role. Off with
 * {@code DBP_IDP=off} (it is the heaviest process of the local platform: 512 MB resident after its first start, 10-30 s to
 * start).
 */
final class LocalIdp {

    static final String REALM = "defense-builders";
    static final String DEMO_TENANT = "demo";
    /** Demo people: user name, group, platform role. */
    private static final List<List<String>> DEMO_PEOPLE = List.of(List.of("demo-viewer", "dbp-viewers", "viewer"),
            List.of("demo-builder", "dbp-builders", "builder"), List.of("demo-publisher", "dbp-publishers", "publisher"),
            List.of("demo-admin", "dbp-admins", "admin"));

    private final Path repo;
    private final Path state;
    private final int port = envInt("DBP_KEYCLOAK_PORT", 8180);
    private final int managementPort = envInt("DBP_KEYCLOAK_MANAGEMENT_PORT", 9180);

    LocalIdp(Path repo, Path state) {
        this.repo = repo;
        this.state = state;
    }

    static boolean enabled() {
        return !"off".equalsIgnoreCase(System.getenv().getOrDefault("DBP_IDP", "on"));
    }

    Path data() {
        return state.resolve("data/keycloak");
    }

    Optional<ServerProcess> running() {
        return KeycloakServer.running(data());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String issuer() {
        return url() + "/realms/" + REALM;
    }

    int port() {
        return port;
    }

    /** Starts Keycloak unless it runs, and creates the realm the first time. */
    void start() throws IOException {
        String password = LocalRuntime.secret(state.resolve("keys/keycloak-admin"));
        KeycloakServer server;
        if (running().isEmpty()) {
            LocalRuntime.say("starting Keycloak on " + url() + " (realm " + REALM + "; DBP_IDP=off to skip it)");
            server = KeycloakServer.start(data(), port, managementPort, true, password);
        } else {
            LocalRuntime.say("Keycloak already running");
            server = KeycloakServer.external(url(), password);
        }
        if (!server.hasRealm(REALM)) {
            KeycloakRealm.create(server, repo.resolve("deploy/local/keycloak/defense-builders-realm.json"), REALM);
            LocalRuntime.say("created the realm " + REALM + " from deploy/local/keycloak/defense-builders-realm.json");
        }
    }

    /** What the gateway needs to trust the realm: the same keys an operator sets for any provider. */
    Map<String, String> gatewayProperties() {
        return KeycloakRealm.gatewayProperties(issuer());
    }

    /**
     * The first time: the demo tenant (through the gateway, with the bootstrap key) and one demo person per role, whose
     * passwords are made up here, kept owner-only in {@code idp.json} with the issuer and client ids, and returned to
     * be printed this once. Empty when {@code idp.json} exists already.
     */
    Optional<String> ensureDemo(String gatewayUrl, String bootstrapKey) throws IOException, InterruptedException {
        Path file = state.resolve("idp.json");
        if (Files.exists(file)) {
            return Optional.empty();
        }
        HttpResponse<String> tenant = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gatewayUrl
                + "/api/v1/tenants")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + bootstrapKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KeycloakServer.toJson(Map.of("id", DEMO_TENANT, "name",
                        "Demo tenant (local sign-in)"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (tenant.statusCode() != 201 && tenant.statusCode() != 409) {
            throw new IllegalStateException("the gateway did not create the demo tenant: " + tenant.statusCode() + " "
                    + tenant.body());
        }
        KeycloakRealm realm = KeycloakRealm.of(
                KeycloakServer.external(url(), LocalRuntime.secret(state.resolve("keys/keycloak-admin"))), REALM);
        List<Map<String, String>> people = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        for (List<String> person : DEMO_PEOPLE) {
            String password = password();
            String username = person.get(0);
            try {
                realm.createUser(username, password, DEMO_TENANT, person.get(1));
            } catch (IllegalStateException exists) {
                // a realm kept from an earlier state directory: make the password ours again
                String id = realm.userId(username);
                realm.setPassword(id, password);
            }
            people.add(Map.of("username", username, "password", password, "group", person.get(1), "role",
                    person.get(2)));
            shown.append(String.format("  %-16s %-24s %s%n", username, password, person.get(2)));
        }
        Map<String, Object> idp = new LinkedHashMap<>();
        idp.put("issuer", issuer());
        idp.put("accountConsole", issuer() + "/account");
        idp.put("clients", Map.of("console", "dbp-console", "cli", KeycloakRealm.CLI_CLIENT, "audience",
                KeycloakRealm.GATEWAY_AUDIENCE));
        idp.put("tenant", DEMO_TENANT);
        idp.put("users", people);
        idp.put("admin", Map.of("console", url() + "/admin", "username", KeycloakServer.ADMIN_USER, "passwordFile",
                state.resolve("keys/keycloak-admin").toString()));
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, KeycloakServer.toJson(idp) + "\n");
        return Optional.of(shown.toString());
    }

    void stop() {
        running().ifPresent(p -> {
            LocalRuntime.say("stopping Keycloak");
            p.stop(Duration.ofSeconds(30));
        });
    }

    private static String password() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static int envInt(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }
}
