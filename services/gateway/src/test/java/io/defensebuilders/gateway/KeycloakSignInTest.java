package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.KeycloakResource;
import io.defensebuilders.testing.infra.KeycloakRealm;
import io.quarkus.test.junit.QuarkusTest;

/**
 * People and service accounts signing in with a real Keycloak and the platform's realm file: tokens come from the real
 * grants (the CLI's device authorization grant, driven through Keycloak's own login pages; client credentials), and
 * the gateway verifies them against the realm's published keys, as it would any organisation's provider.
 */
@QuarkusTest
class KeycloakSignInTest {

    private static final String ECHO = "/api/v1/stub/echo";

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The internal token the gateway sent upstream for a call with {@code accessToken}. */
    private static Map<String, Object> forwarded(String accessToken) {
        String internal = given().header("Authorization", "Bearer " + accessToken).get(ECHO).then().statusCode(200)
                .extract().path("headers.authorization");
        return Jwt.claims(internal.substring("Bearer ".length()));
    }

    @Test
    void aPersonSignsInWithTheCliDeviceFlowAndGetsTheirTenantAndGroupRoles() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        String user = unique("ada");
        String id = realm.createUser(user, "pw-" + user, tenant, "dbp-builders");

        KeycloakRealm.Tokens tokens = realm.deviceSignIn(KeycloakRealm.CLI_CLIENT, user, "pw-" + user);
        Map<String, Object> claims = forwarded(tokens.accessToken());
        assertEquals(tenant, claims.get("tenant"));
        assertEquals("keycloak:" + id, claims.get("sub"));
        assertEquals(List.of("builder", "viewer"), claims.get("roles"));
    }

    @Test
    void anMcpClientFindsTheIdentityProviderFromTheChallengeOfA401() {
        String challenge = given().contentType("application/json").body("{}").post("/mcp").then().statusCode(401)
                .contentType("application/problem+json").extract().header("WWW-Authenticate");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Bearer resource_metadata=\"([^\"]+)\"$")
                .matcher(challenge);
        assertTrue(m.find(), challenge);
        java.net.URI metadata = java.net.URI.create(m.group(1));
        assertEquals("/.well-known/oauth-protected-resource/mcp", metadata.getPath());
        io.restassured.path.json.JsonPath doc = given().get(metadata.getPath()).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        // every identity provider the gateway trusts (the tests configure others beside this realm)
        assertTrue(doc.getList("authorization_servers").contains(KeycloakResource.realm().issuer()), doc.prettify());
        assertEquals(metadata.getScheme() + "://" + metadata.getAuthority() + "/mcp", doc.getString("resource"));
        assertEquals(List.of("header"), doc.getList("bearer_methods_supported"));
        // the platform's own document names the same providers
        assertEquals(doc.getList("authorization_servers"), given().get("/.well-known/oauth-protected-resource").then()
                .statusCode(200).extract().jsonPath().getList("authorization_servers"));
    }

    @Test
    void aServiceAccountUsesClientCredentials() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        KeycloakRealm.ServiceAccount ci = realm.createServiceAccount(unique("ci"), tenant, true, "dbp-publishers");

        Map<String, Object> claims = forwarded(realm.clientCredentialsToken(ci));
        assertEquals(tenant, claims.get("tenant"));
        assertEquals("keycloak:" + ci.userId(), claims.get("sub"));
        assertEquals(List.of("builder", "publisher", "viewer"), claims.get("roles"));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        KeycloakRealm.ServiceAccount other = realm.createServiceAccount(unique("other-app"), tenant, false,
                "dbp-admins");
        given().header("Authorization", "Bearer " + realm.clientCredentialsToken(other)).get(ECHO).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anExpiredTokenIsRefused() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        KeycloakRealm.ServiceAccount shortLived = realm.createServiceAccount(unique("short"), tenant, true,
                "dbp-viewers");
        realm.setAccessTokenLifespan(shortLived.clientId(), Duration.ofSeconds(2));
        String token = realm.clientCredentialsToken(shortLived);
        given().header("Authorization", "Bearer " + token).get(ECHO).then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().header("Authorization", "Bearer " + token).get(ECHO).statusCode() == 401);
    }

    @Test
    void aRotatedRealmKeyIsPickedUpWithoutRestartingTheGateway() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        KeycloakRealm.ServiceAccount ci = realm.createServiceAccount(unique("rotating"), tenant, true, "dbp-viewers");
        String before = realm.clientCredentialsToken(ci);
        given().header("Authorization", "Bearer " + before).get(ECHO).then().statusCode(200);

        String newKid = realm.rotateSigningKey();
        String after = realm.clientCredentialsToken(ci);
        assertEquals(newKid, Jwt.header(after).get("kid"), "Keycloak signs with the new key");
        assertNotEquals(Jwt.header(before).get("kid"), newKid);
        given().header("Authorization", "Bearer " + after).get(ECHO).then().statusCode(200);
        // the old key stays published: a token issued before the rotation is good until it expires
        given().header("Authorization", "Bearer " + before).get(ECHO).then().statusCode(200);
    }

    @Test
    void aDisabledPersonGetsNoNextTokenAndLogoutEndsTheSession() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        String grace = unique("grace");
        String graceId = realm.createUser(grace, "pw-" + grace, tenant, "dbp-viewers");
        KeycloakRealm.Tokens graceTokens = realm.deviceSignIn(KeycloakRealm.CLI_CLIENT, grace, "pw-" + grace);
        assertEquals(200, realm.refresh(KeycloakRealm.CLI_CLIENT, graceTokens.refreshToken()).statusCode());
        realm.setEnabled(graceId, false);
        var refused = realm.refresh(KeycloakRealm.CLI_CLIENT, graceTokens.refreshToken());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("invalid_grant"), refused.body());

        String linus = unique("linus");
        realm.createUser(linus, "pw-" + linus, tenant, "dbp-viewers");
        KeycloakRealm.Tokens linusTokens = realm.deviceSignIn(KeycloakRealm.CLI_CLIENT, linus, "pw-" + linus);
        realm.logout(KeycloakRealm.CLI_CLIENT, linusTokens.refreshToken());
        var afterLogout = realm.refresh(KeycloakRealm.CLI_CLIENT, linusTokens.refreshToken());
        assertEquals(400, afterLogout.statusCode(), afterLogout.body());
    }

    @Test
    void aPersonSigningInBecomesAMemberJustInTimeAndTheTenantsAdminsSeeWhen() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        String admin = Gw.key(tenant, "admin");
        Gw.as(admin).get("/api/v1/tenants/" + tenant + "/sign-ins").then().statusCode(200).body("size()", is(0));
        String user = unique("hedy");
        String id = realm.createUser(user, "pw-" + user, tenant, "dbp-builders");

        String token = realm.deviceSignIn(KeycloakRealm.CLI_CLIENT, user, "pw-" + user).accessToken();
        forwarded(token);
        forwarded(token); // one token, one record

        List<Map<String, Object>> signIns = await().atMost(Duration.ofSeconds(10)).until(
                () -> Gw.as(admin).get("/api/v1/tenants/" + tenant + "/sign-ins").then().statusCode(200).extract()
                        .jsonPath().getList("$"),
                list -> !list.isEmpty());
        assertEquals(1, signIns.size(), signIns.toString());
        Map<String, Object> signIn = signIns.getFirst();
        assertEquals("keycloak:" + id, signIn.get("subject"));
        assertEquals("keycloak", signIn.get("idp"));
        assertEquals(user + "@example.test", signIn.get("email"));
        assertEquals(List.of("builder"), signIn.get("roles"));
        Instant first = Instant.parse((String) signIn.get("firstSignInAt"));
        assertEquals(first, Instant.parse((String) signIn.get("lastSignInAt")));
        assertTrue(Duration.between(first, Instant.now()).abs().toMinutes() < 2, "signed in just now: " + first);
        assertTrue(!Instant.parse((String) signIn.get("lastTokenAt")).isBefore(first));

        // nobody else's admins see it; the person themself is no admin
        Gw.as(Gw.key(Gw.newTenant(null), "admin")).get("/api/v1/tenants/" + tenant + "/sign-ins").then()
                .statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + token).get("/api/v1/tenants/" + tenant + "/sign-ins").then()
                .statusCode(403);
    }

    @Test
    void aTenantLowersWhatItsProviderGrants() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        String admin = Gw.key(tenant, "admin");
        KeycloakRealm.ServiceAccount ops = realm.createServiceAccount(unique("ops"), tenant, true, "dbp-admins");
        String token = realm.clientCredentialsToken(ops);
        assertEquals(List.of("admin", "builder", "publisher", "viewer"), forwarded(token).get("roles"));

        Gw.as(admin).body(Map.of("idpMaxRole", "builder")).patch("/api/v1/tenants/" + tenant).then().statusCode(200)
                .body("idpMaxRole", is("builder"));
        assertEquals(List.of("builder", "viewer"), forwarded(token).get("roles"), "the same token, lowered");
        given().header("Authorization", "Bearer " + token).get("/api/v1/tenants/" + tenant + "/members").then()
                .statusCode(403);

        Gw.as(admin).body(Map.of("idpMaxRole", "none")).patch("/api/v1/tenants/" + tenant).then().statusCode(200);
        Object none = forwarded(token).get("roles");
        assertTrue(none == null || ((List<?>) none).isEmpty(), "no role from the provider: " + none);

        Gw.as(admin).body(Map.of("idpMaxRole", "owner")).patch("/api/v1/tenants/" + tenant).then().statusCode(400)
                .contentType("application/problem+json");
        Gw.as(Gw.key(tenant, "builder")).body(Map.of("idpMaxRole", "admin")).patch("/api/v1/tenants/" + tenant).then()
                .statusCode(403);
    }

    @Test
    void leavingAGroupTakesEffectAtTheNextToken() {
        KeycloakRealm realm = KeycloakResource.realm();
        String tenant = Gw.newTenant(null);
        KeycloakRealm.ServiceAccount ci = realm.createServiceAccount(unique("demoted"), tenant, true, "dbp-viewers",
                "dbp-publishers");
        assertEquals(List.of("builder", "publisher", "viewer"), forwarded(realm.clientCredentialsToken(ci)).get("roles"));
        realm.leaveGroup(ci.userId(), "dbp-publishers");
        assertEquals(List.of("viewer"), forwarded(realm.clientCredentialsToken(ci)).get("roles"));
    }
}
