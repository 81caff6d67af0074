package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Keycloak, the identity provider people sign in with: the server distribution Maven resolved at build time
 * ({@code org.keycloak:keycloak-quarkus-dist}, a zip; nothing is downloaded at run time), unpacked once into the cache
 * and started in development mode ({@code kc.sh start-dev}: plain HTTP, an H2 database file in its data directory) on
 * the given ports, with a bootstrap administrator. Realms are created through the admin API
 * ({@link #createRealm}), so each start begins empty.
 */
public final class KeycloakServer {

    /** The bootstrap administrator of the {@code master} realm. */
    public static final String ADMIN_USER = "admin";

    private final ServerProcess process;
    private final int port;
    private final String adminPassword;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private KeycloakServer(ServerProcess process, int port, String adminPassword) {
        this.process = process;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    /** A server already running at {@code url} (started by another process), administered with this password. */
    public static KeycloakServer external(String url, String adminPassword) {
        return new KeycloakServer(null, URI.create(url).getPort(), adminPassword);
    }

    /**
     * Starts Keycloak on 127.0.0.1:{@code port} (its management interface, health and metrics, on
     * {@code managementPort}), logging next to {@code dataDir}, and waits until it serves the master realm.
     * With {@code detached} it outlives this JVM.
     */
    public static KeycloakServer start(Path dataDir, int port, int managementPort, boolean detached) {
        return start(dataDir, port, managementPort, detached,
                HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
    }

    /**
     * As {@link #start(Path, int, int, boolean)}, keeping its database (H2, a file under {@code dataDir}) and with
     * this bootstrap administrator password: it is set when the database is new, and must stay the same after.
     */
    public static KeycloakServer start(Path dataDir, int port, int managementPort, boolean detached,
            String adminPassword) {
        Path zip = InfraArtifacts.jar("keycloak-quarkus-dist-");
        String version = zip.getFileName().toString().replace("keycloak-quarkus-dist-", "").replace(".zip", "");
        Path home = Extract.zip(zip, Extract.cacheRoot().resolve("keycloak-" + version)).resolve("keycloak-" + version);
        String password = adminPassword;
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                // the same build options for every use (a change would re-augment the shared installation); the
                // database file is per data directory
                "--db=dev-file", "--db-url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("h2/keycloakdb")
                        + ";NON_KEYWORDS=VALUE",
                "--cache=local", "--health-enabled=true", "--metrics-enabled=true",
                "--hostname-strict=false", "--log-level=WARN,org.keycloak.services:INFO"));
        Map<String, String> env = Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", password);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // start-dev re-augments the shared installation on its first run; one JVM at a time does that
        try (FileChannel lockFile = FileChannel.open(home.resolveSibling("start.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            ServerProcess process = ServerProcess.start("keycloak", command,
                    dataDir.resolveSibling(dataDir.getFileName() + ".log"), dataDir.resolve("keycloak.pid"), env,
                    detached, dataDir);
            KeycloakServer server = new KeycloakServer(process, port, password);
            Wait.until(process, Duration.ofSeconds(240), () -> server.serves("/realms/master"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak from " + home, e);
        }
    }

    /** The Keycloak started detached with data in {@code dataDir}, if it still runs. */
    public static java.util.Optional<ServerProcess> running(Path dataDir) {
        return ServerProcess.fromPidFile("keycloak", dataDir.resolve("keycloak.pid"),
                dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    /** Waits until the server serves its master realm; fails after {@code timeout}. */
    public KeycloakServer awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!serves("/realms/master")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Keycloak at " + url() + " did not serve within " + timeout);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for Keycloak at " + url(), e);
            }
        }
        return this;
    }

    /** Whether {@code realm} exists. */
    public boolean hasRealm(String realm) {
        return serves("/realms/" + realm);
    }

    /** http://127.0.0.1:port, the base of every realm's issuer. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The bootstrap administrator's password (made up at start). */
    public String adminPassword() {
        return adminPassword;
    }

    /** The issuer of {@code realm}'s tokens. */
    public String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    /** Creates a realm from its JSON representation (as exported by Keycloak); fails when it exists. */
    public void createRealm(String realmJson) {
        HttpResponse<String> created = admin("POST", "/admin/realms", realmJson);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Keycloak refused the realm: " + created.statusCode() + " " + created.body());
        }
    }

    /**
     * Calls the admin REST API ({@code /admin/realms/...}) as the bootstrap administrator, with a JSON body or
     * none; the answer is returned whatever its status.
     */
    public HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken());
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(request.build());
    }

    /** Posts a form to {@code path} (a token or device endpoint); the answer is returned whatever its status. */
    public HttpResponse<String> form(String path, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(fields))).build());
    }

    /** Reads a JSON object answer, as a map that may be changed. */
    public static Map<String, Object> json(String body) {
        try {
            return new java.util.LinkedHashMap<>(JsonUtil.parseJson(body));
        } catch (JoseException e) {
            throw new IllegalStateException("not a JSON object: " + body, e);
        }
    }

    /** Reads a JSON array answer (of objects, as the admin API lists things). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> jsonArray(String body) {
        try {
            return (List<Map<String, Object>>) org.jose4j.json.internal.json_simple.JSONValue.parseWithException(body);
        } catch (org.jose4j.json.internal.json_simple.parser.ParseException | ClassCastException e) {
            throw new IllegalStateException("not a JSON array: " + body, e);
        }
    }

    /** A JSON object as text. */
    public static String toJson(Map<String, ?> value) {
        return JsonUtil.toJson(value);
    }

    public static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
        }
    }

    private String adminToken() {
        HttpResponse<String> token = form("/realms/master/protocol/openid-connect/token", Map.of("grant_type",
                "password", "client_id", "admin-cli", "username", ADMIN_USER, "password", adminPassword));
        if (token.statusCode() != 200) {
            throw new IllegalStateException("no admin token from Keycloak: " + token.statusCode() + " " + token.body());
        }
        return (String) json(token.body()).get("access_token");
    }

    /** Whether {@code path} answers 200 yet. */
    private boolean serves(String path) {
        try {
            return send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build())
                    .statusCode() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
