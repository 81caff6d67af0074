package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
