package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One realm of a {@link KeycloakServer}, made from the platform's realm file (deploy/local/keycloak) under a name of its
 * own, and what tests and the local runtime do with it through Keycloak's own APIs: people and service accounts, the
 * real grants (device authorization, client credentials, refresh), disabling, key rotation, logout.
 */
public final class KeycloakRealm {

    /** The user attribute, and the token claim, naming a person's or service account's tenant. */
    public static final String TENANT_ATTRIBUTE = "tenant";
    /** The client the gateway's tokens are for (their {@code aud}). */
    public static final String GATEWAY_AUDIENCE = "dbp-gateway";
    /** The CLI's public client (device authorization grant). */
    public static final String CLI_CLIENT = "dbp-cli";
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");

    private final KeycloakServer server;
    private final String name;

    private KeycloakRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates {@code realmFile}'s realm as {@code name}, with the tenant attribute declared. */
    public static KeycloakRealm create(KeycloakServer server, Path realmFile, String name) {
        return create(server, realmFile, name, Map.of());
    }

    /** As {@link #create(KeycloakServer, Path, String)}, with some of the realm's top-level settings changed. */
    public static KeycloakRealm create(KeycloakServer server, Path realmFile, String name, Map<String, Object> changes) {
        Map<String, Object> realm;
        try {
            realm = KeycloakServer.json(Files.readString(realmFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        realm.putAll(changes);
        realm.put("realm", name);
        server.createRealm(KeycloakServer.toJson(realm));
        KeycloakRealm created = new KeycloakRealm(server, name);
        created.declareTenantAttribute();
        return created;
    }

    /** A realm that exists already. */
    public static KeycloakRealm of(KeycloakServer server, String name) {
        return new KeycloakRealm(server, name);
    }

    public String name() {
        return name;
    }

    public String issuer() {
        return server.issuer(name);
    }

    public KeycloakServer server() {
        return server;
    }

    /** The realm file's groups and the platform roles they map to. */
    public static final Map<String, String> GROUP_ROLES = Map.of("dbp-viewers", "viewer", "dbp-builders", "builder",
            "dbp-publishers", "publisher", "dbp-admins", "admin");

    /**
     * What the gateway needs to trust this realm as its OIDC tenant {@code keycloak}: the same keys an operator sets
     * for any provider (discovery from the issuer, the audience, the tenant claim, groups mapped to roles).
     */
    public Map<String, String> gatewayProperties() {
        return gatewayProperties(issuer());
    }

    /** {@link #gatewayProperties()} of the realm whose tokens {@code issuer} issues, without calling it. */
    public static Map<String, String> gatewayProperties(String issuer) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.oidc.keycloak.auth-server-url", issuer);
        p.put("quarkus.oidc.keycloak.application-type", "service");
        p.put("quarkus.oidc.keycloak.token.audience", GATEWAY_AUDIENCE);
        p.put("dbp.gateway.idp.keycloak.tenant-claim", TENANT_ATTRIBUTE);
        p.put("dbp.gateway.idp.keycloak.roles-claim", "groups");
        GROUP_ROLES.forEach((group, role) -> p.put("dbp.gateway.idp.keycloak.role-map." + group, role));
        return p;
    }

    /** A person: enabled, with a password, in a tenant and in the named groups; answers the user's id. */
    public String createUser(String username, String password, String tenant, String... groups) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@example.test");
        user.put("emailVerified", true);
        user.put("firstName", username);
        user.put("lastName", "Test");
        user.put("attributes", Map.of(TENANT_ATTRIBUTE, List.of(tenant)));
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        user.put("groups", List.of(groups));
        expect(201, admin("POST", "/users", KeycloakServer.toJson(user)), "create user " + username);
        return userId(username);
    }

    public String userId(String username) {
        return only(admin("GET", "/users?exact=true&username=" + username, null), "user " + username);
    }

    /** Sets a user's password (not temporary). */
    public void setPassword(String userId, String password) {
        expect(204, admin("PUT", "/users/" + userId + "/reset-password", KeycloakServer.toJson(Map.of("type",
                "password", "value", password, "temporary", false))), "set password");
    }

    /** Enables or disables a user (a disabled one gets no new token, not even by refresh). */
    public void setEnabled(String userId, boolean enabled) {
        expect(204, admin("PUT", "/users/" + userId, KeycloakServer.toJson(Map.of("enabled", enabled))), "enable");
    }

    /** Takes a user out of a group. */
    public void leaveGroup(String userId, String group) {
        expect(204, admin("DELETE", "/users/" + userId + "/groups/" + groupId(group), null), "leave " + group);
    }

    /** A confidential client with a service account in {@code tenant} and {@code groups}. */
    public record ServiceAccount(String clientId, String secret, String userId) {
    }

    /**
     * Creates a confidential client whose service account is in {@code tenant} and {@code groups}. With
     * {@code gatewayAudience} false its tokens name no audience of the platform (a client of something else).
     */
    public ServiceAccount createServiceAccount(String clientId, String tenant, boolean gatewayAudience, String... groups) {
        String secret = UUID.randomUUID().toString();
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("secret", secret);
        client.put("serviceAccountsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", false);
        client.put("protocolMappers", gatewayAudience ? platformMappers()
                : platformMappers().stream().filter(m -> !"oidc-audience-mapper".equals(m.get("protocolMapper"))).toList());
        expect(201, admin("POST", "/clients", KeycloakServer.toJson(client)), "create client " + clientId);
        String internalId = clientUuid(clientId);
        Map<String, Object> rep = KeycloakServer.json(expect(200,
                admin("GET", "/clients/" + internalId + "/service-account-user", null), "its user"));
        String userId = (String) rep.get("id");
        rep.put("attributes", Map.of(TENANT_ATTRIBUTE, List.of(tenant)));
        expect(204, admin("PUT", "/users/" + userId, KeycloakServer.toJson(rep)), "tenant of " + clientId);
        for (String group : groups) {
            expect(204, admin("PUT", "/users/" + userId + "/groups/" + groupId(group), null), "join " + group);
        }
        return new ServiceAccount(clientId, secret, userId);
    }

    /** How long access tokens of one client live (a client attribute; the realm's default is 5 minutes). */
    public void setAccessTokenLifespan(String clientId, Duration lifespan) {
        String internalId = clientUuid(clientId);
        Map<String, Object> rep = KeycloakServer
                .json(expect(200, admin("GET", "/clients/" + internalId, null), "read " + clientId));
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = new LinkedHashMap<>((Map<String, Object>) rep.getOrDefault("attributes", Map.of()));
        attributes.put("access.token.lifespan", Long.toString(lifespan.toSeconds()));
        rep.put("attributes", attributes);
        expect(204, admin("PUT", "/clients/" + internalId, KeycloakServer.toJson(rep)), "lifespan of " + clientId);
    }

    /** An access token by the client credentials grant. */
    public String clientCredentialsToken(ServiceAccount account) {
        HttpResponse<String> token = server.form(tokenPath(), Map.of("grant_type", "client_credentials", "client_id",
                account.clientId(), "client_secret", account.secret()));
        return (String) KeycloakServer.json(expect(200, token, "client credentials")).get("access_token");
    }

    /** What a sign-in gave: the access token and the refresh token. */
    public record Tokens(String accessToken, String refreshToken) {
    }

    /**
     * Signs a person in as the CLI does, by the device authorization grant (RFC 8628): asks for a device code, does
     * what the person does in a browser (opens the verification URI, logs in on Keycloak's own pages, grants access),
     * then redeems the device code at the token endpoint.
     */
    public Tokens deviceSignIn(String clientId, String username, String password) {
        Map<String, Object> device = KeycloakServer.json(expect(200, server.form(
                "/realms/" + name + "/protocol/openid-connect/auth/device", Map.of("client_id", clientId, "scope", "openid")),
                "device authorization"));
        HttpResponse<String> pending = server.form(tokenPath(), Map.of("grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "device_code", (String) device.get("device_code"),
                "client_id", clientId));
        if (pending.statusCode() != 400 || !pending.body().contains("authorization_pending")) {
            throw new IllegalStateException("a device code redeemed before sign-in: " + pending.body());
        }
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get((String) device.get("verification_uri_complete"));
        for (int step = 0; step < 5 && !page.body().contains("kc-form-login"); step++) {
            page = browser.submit(page, Map.of()); // the code confirmation page, where there is one
        }
        if (!page.body().contains("kc-form-login")) {
            throw new IllegalStateException("no login form after the verification URI: " + page.body());
        }
        page = browser.submit(page, Map.of("username", username, "password", password, "credentialId", ""));
        for (int step = 0; step < 3 && page.body().contains("name=\"accept\""); step++) {
            page = browser.submit(page, Map.of("accept", "Yes"));
        }
        // redeem it as a device does: no more often than the interval Keycloak asked for, slower when told to
        long interval = ((Number) device.getOrDefault("interval", 5L)).longValue();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        HttpResponse<String> token;
        while (true) {
            sleep(Duration.ofSeconds(interval));
            token = server.form(tokenPath(), Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                    "device_code", (String) device.get("device_code"), "client_id", clientId));
            if (token.statusCode() == 200 || System.nanoTime() > deadline) {
                break;
            }
            if (token.body().contains("slow_down")) {
                interval += 5;
            } else if (!token.body().contains("authorization_pending")) {
                break;
            }
        }
        Map<String, Object> tokens = KeycloakServer.json(expect(200, token, "device code after sign-in"));
        return new Tokens((String) tokens.get("access_token"), (String) tokens.get("refresh_token"));
    }

    /** The refresh grant; the answer whatever its status (400 invalid_grant for a disabled user or ended session). */
    public HttpResponse<String> refresh(String clientId, String refreshToken) {
        return server.form(tokenPath(), Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token",
                refreshToken));
    }

    /** Ends the session the refresh token belongs to (RP-initiated logout of a public client). */
    public void logout(String clientId, String refreshToken) {
        expect(204, server.form("/realms/" + name + "/protocol/openid-connect/logout",
                Map.of("client_id", clientId, "refresh_token", refreshToken)), "logout");
    }

    /**
     * Rotates the realm's signing key: a new RSA key that takes precedence over the old one, which stays published
     * to verify tokens already issued. Answers the new key's id.
     */
    public String rotateSigningKey() {
        String realmId = (String) KeycloakServer.json(expect(200, server.admin("GET", "/admin/realms/" + name, null),
                "realm")).get("id");
        Map<String, Object> component = Map.of("name", "rotated-" + UUID.randomUUID(), "providerId", "rsa-generated",
                "providerType", "org.keycloak.keys.KeyProvider", "parentId", realmId, "config",
                Map.of("priority", List.of(Long.toString(System.currentTimeMillis())), "keySize", List.of("2048"),
                        "algorithm", List.of("RS256")));
        expect(201, admin("POST", "/components", KeycloakServer.toJson(component)), "new key");
        @SuppressWarnings("unchecked")
        Map<String, Object> active = (Map<String, Object>) KeycloakServer
                .json(expect(200, admin("GET", "/keys", null), "keys")).get("active");
        return (String) active.get("RS256");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tokenPath() {
        return "/realms/" + name + "/protocol/openid-connect/token";
    }

    /** The protocol mappers every platform client carries (audience, tenant, groups): the console's in the realm file. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> platformMappers() {
        List<Map<String, Object>> list = KeycloakServer
                .jsonArray(expect(200, admin("GET", "/clients?clientId=dbp-console", null), "console client"));
        List<Map<String, Object>> mappers = new ArrayList<>();
        for (Object m : (List<Object>) list.getFirst().get("protocolMappers")) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
            copy.remove("id");
            mappers.add(copy);
        }
        return mappers;
    }

    private String clientUuid(String clientId) {
        return only(admin("GET", "/clients?clientId=" + clientId, null), "client " + clientId);
    }

    private String groupId(String group) {
        return KeycloakServer.jsonArray(expect(200, admin("GET", "/groups?exact=true&search=" + group, null), "groups"))
                .stream().filter(g -> group.equals(g.get("name"))).map(g -> (String) g.get("id")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no group " + group + " in realm " + name));
    }

    /** Declares the tenant attribute in the realm's user profile: set by administrators, seen by the user. */
    @SuppressWarnings("unchecked")
    private void declareTenantAttribute() {
        Map<String, Object> profile = KeycloakServer
                .json(expect(200, admin("GET", "/users/profile", null), "user profile"));
        List<Object> attributes = new ArrayList<>((List<Object>) profile.get("attributes"));
        attributes.add(Map.of("name", TENANT_ATTRIBUTE, "displayName", "Tenant", "permissions",
                Map.of("view", List.of("admin", "user"), "edit", List.of("admin")), "multivalued", false));
        profile.put("attributes", attributes);
        expect(200, admin("PUT", "/users/profile", KeycloakServer.toJson(profile)), "declare the tenant attribute");
    }

    /** The id of the one thing a listing found. */
    private static String only(HttpResponse<String> listing, String what) {
        List<Map<String, Object>> found = KeycloakServer.jsonArray(expect(200, listing, what));
        if (found.size() != 1) {
            throw new IllegalStateException(what + ": " + found.size() + " found");
        }
        return (String) found.getFirst().get("id");
    }

    private HttpResponse<String> admin(String method, String path, String json) {
        return server.admin(method, "/admin/realms/" + name + path, json);
    }

    private static String expect(int status, HttpResponse<String> answer, String what) {
        if (answer.statusCode() != status) {
            throw new IllegalStateException(what + ": Keycloak answered " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    /**
     * Just enough of a browser for Keycloak's own pages: a cookie jar (every cookie sent back to this one host, as
     * Keycloak's are; the JDK's cookie manager refuses cookies of an IP address host), redirects followed, the page's
     * form submitted.
     */
    private static final class Browser {

        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> get(String url) {
            return send(HttpRequest.newBuilder(URI.create(url)).GET());
        }

        /** Posts the page's first form to its action with {@code fields} (and the form's hidden inputs). */
        HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> fields) {
            Matcher action = FORM_ACTION.matcher(page.body());
            if (!action.find()) {
                throw new IllegalStateException("no form on " + page.uri() + ": " + page.body());
            }
            Map<String, String> all = new LinkedHashMap<>();
            Matcher hidden = Pattern.compile("<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"")
                    .matcher(page.body());
            while (hidden.find()) {
                all.put(hidden.group(1), unescape(hidden.group(2)));
            }
            all.putAll(fields);
            URI target = page.uri().resolve(unescape(action.group(1)));
            return send(HttpRequest.newBuilder(target).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(KeycloakServer.formBody(all))));
        }

        private HttpResponse<String> send(HttpRequest.Builder first) {
            HttpRequest.Builder request = first;
            for (int hop = 0; hop < 10; hop++) {
                if (!cookies.isEmpty()) {
                    request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(java.util.stream.Collectors.joining("; ")));
                }
                HttpResponse<String> answer;
                try {
                    answer = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                for (String set : answer.headers().allValues("Set-Cookie")) {
                    String pair = set.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String name = pair.substring(0, eq).trim();
                    String value = pair.substring(eq + 1).trim();
                    if (value.isEmpty() || set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                }
                int status = answer.statusCode();
                if (status < 300 || status >= 400 || answer.headers().firstValue("Location").isEmpty()) {
                    return answer;
                }
                request = HttpRequest.newBuilder(answer.uri().resolve(answer.headers().firstValue("Location").get())).GET();
            }
            throw new IllegalStateException("more than 10 redirects");
        }

        private static String unescape(String html) {
            return html.replace("&amp;", "&").replace("&#x3d;", "=").replace("&#61;", "=").replace("&quot;", "\"");
        }
    }
}
