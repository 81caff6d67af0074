package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.IdpResource;
import io.defensebuilders.testing.AtOnce;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Who gets in: API keys and IdP tokens, every way they can be wrong, roles, and tenancy. */
@QuarkusTest
class IdentityTest {

    private static ValidatableResponse expect401(io.restassured.specification.RequestSpecification request, String path) {
        return request.get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer")).body("status", equalTo(401));
    }

    @Test
    void refusesMissingMalformedUnknownAndWrongApiKeys() {
        String tenant = Gw.newTenant(null);
        String key = Gw.key(tenant, "viewer");
        for (String path : List.of("/api/v1/stub/echo", "/api/v1/tenants")) {
            expect401(given(), path);
            expect401(given().header("Authorization", "Bearer dbp_nonsense"), path);
            expect401(given().header("Authorization", "Bearer dbp_0123456789abcdef_" + "A".repeat(43)), path);
            String wrongSecret = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
            expect401(given().header("Authorization", "Bearer " + wrongSecret), path);
            expect401(
                    given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes())),
                    path);
        }
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        given().header("X-API-Key", key).get("/api/v1/stub/echo").then().statusCode(200);
    }

    @Test
    void revocationTakesEffectOnTheNextRequest() {
        String tenant = Gw.newTenant(null);
        String key = Gw.key(tenant, "viewer");
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        String id = key.split("_")[1];
        Gw.admin().delete("/api/v1/api-keys/" + id).then().statusCode(204);
        expect401(Gw.as(key), "/api/v1/stub/echo");
        // idempotent
        Gw.admin().delete("/api/v1/api-keys/" + id).then().statusCode(204);
        Gw.admin().queryParam("tenant", tenant).get("/api/v1/api-keys").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.revokedAt", not(nullValue()));
    }

    @Test
    void expiredKeysStopWorking() throws InterruptedException {
        String tenant = Gw.newTenant(null);
        String key = Gw.admin().body(Map.of("name", "short", "roles", List.of("viewer"), "tenant", tenant, "expiresAt",
                Instant.now().plusSeconds(2).toString())).post("/api/v1/api-keys").then().statusCode(201).extract()
                .path("secret");
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
        Thread.sleep(2500); // past the key's expiry, two seconds after it was created
        expect401(Gw.as(key), "/api/v1/stub/echo");
        Gw.admin().body(Map.of("name", "past", "roles", List.of("viewer"), "tenant", tenant, "expiresAt",
                Instant.now().minusSeconds(5).toString())).post("/api/v1/api-keys").then().statusCode(400);
    }

    @Test
    void secretsAreShownOnceAndNeverListed() {
        String tenant = Gw.newTenant(null);
        String admin = Gw.key(tenant, "admin");
        String secret = Gw.as(admin).body(Map.of("name", "ci", "roles", List.of("builder"))).post("/api/v1/api-keys")
                .then().statusCode(201).header("Cache-Control", "no-store").extract().path("secret");
        assertTrue(secret.startsWith("dbp_"));
        String listing = Gw.as(admin).get("/api/v1/api-keys").then().statusCode(200).body("secret", hasItem(nullValue()))
                .extract().asString();
        assertTrue(!listing.contains(secret.substring(22)), "a secret appears in the listing");
    }

    @Test
    void rolesBoundWhatKeysAndMembersCanDo() {
        String tenant = Gw.newTenant(null);
        String viewer = Gw.key(tenant, "viewer");
        String admin = Gw.key(tenant, "admin");
        Gw.as(viewer).body(Map.of("name", "x", "roles", List.of("viewer"))).post("/api/v1/api-keys").then()
                .statusCode(403).contentType("application/problem+json");
        Gw.as(admin).body(Map.of("name", "x", "roles", List.of("platform-admin"))).post("/api/v1/api-keys").then()
                .statusCode(400).body("errors.field", hasItem("roles"));
        Gw.as(admin).body(Map.of("role", "platform-admin")).put("/api/v1/tenants/" + tenant + "/members/idp:mallory")
                .then().statusCode(403);
        Gw.as(admin).body(Map.of("name", "x", "plan", "enterprise")).patch("/api/v1/tenants/" + tenant).then()
                .statusCode(403);
        Gw.as(admin).body(Map.of("name", "Renamed")).patch("/api/v1/tenants/" + tenant).then().statusCode(200)
                .body("name", equalTo("Renamed"));
        Gw.as(admin).body(Map.of("id", "t-evil", "name", "x")).post("/api/v1/tenants").then().statusCode(403);
        Gw.as(viewer).body(Map.of("role", "viewer")).put("/api/v1/tenants/" + tenant + "/members/idp:bob").then()
                .statusCode(403);
    }

    @Test
    void memberSubjectsAreValidatedLikeOtherNames() {
        String tenant = Gw.newTenant(null);
        String admin = Gw.key(tenant, "admin");
        for (String bad : List.of("%20", "..%2F..%2Fq%2Fhealth", "idp", "idp:", "IdP:bob", "idp:bob%20smith",
                "idp:" + "x".repeat(256), "idp:a%0Ab", "idp:%E2%80%AE")) {
            Gw.as(admin).urlEncodingEnabled(false).body(Map.of("role", "viewer"))
                    .put("/api/v1/tenants/" + tenant + "/members/" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("subject"));
        }
        Gw.as(admin).body("{\"role\": \"viewer\", \"role\": \"admin\"}").put("/api/v1/tenants/" + tenant
                + "/members/auth0:google-oauth2|42").then().statusCode(400).body("errors[0].field", equalTo("role"))
                .body("errors[0].message", equalTo("is given more than once"));
        Gw.as(admin).body(Map.of("role", "viewer")).put("/api/v1/tenants/" + tenant + "/members/auth0:google-oauth2|42")
                .then().statusCode(200).body("subject", equalTo("auth0:google-oauth2|42"));
        Gw.as(admin).get("/api/v1/tenants/" + tenant + "/members").then().statusCode(200)
                .body("subject", equalTo(List.of("auth0:google-oauth2|42")));
    }

    @Test
    void aMemberPutManyTimesAtOnceIsOneMemberWithOneOfTheRoles() throws Exception {
        String tenant = Gw.newTenant(null);
        String admin = Gw.key(tenant, "admin");
        List<String> roles = List.of("viewer", "builder", "publisher", "admin");
        // every put of a member that does not exist yet inserts: all but one find the row taken, and put again
        List<Integer> statuses = AtOnce.calls(12, Duration.ofSeconds(30), i -> Gw.as(admin)
                .body(Map.of("role", roles.get(i % roles.size()))).put("/api/v1/tenants/" + tenant + "/members/idp:race")
                .statusCode());
        assertEquals(List.of(200), statuses.stream().distinct().toList(), "every put answered: " + statuses);
        var members = Gw.as(admin).get("/api/v1/tenants/" + tenant + "/members").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("idp:race"), members.getList("subject"));
        assertTrue(roles.contains(members.getString("[0].role")), members.prettify());
        Gw.as(admin).delete("/api/v1/tenants/" + tenant + "/members/idp:race").then().statusCode(204);
        Gw.as(admin).delete("/api/v1/tenants/" + tenant + "/members/idp:race").then().statusCode(404);
    }

    @Test
    void anotherTenantIsInvisible() {
        String mine = Gw.newTenant(null);
        String theirs = Gw.newTenant(null);
        String admin = Gw.key(mine, "admin");
        String theirKey = Gw.key(theirs, "viewer");
        Gw.as(admin).get("/api/v1/tenants/" + theirs).then().statusCode(404);
        Gw.as(admin).get("/api/v1/tenants/" + theirs + "/members").then().statusCode(404);
        Gw.as(admin).delete("/api/v1/api-keys/" + theirKey.split("_")[1]).then().statusCode(404);
        Gw.as(admin).queryParam("tenant", theirs).get("/api/v1/api-keys").then().statusCode(404);
        Gw.as(admin).get("/api/v1/tenants").then().statusCode(200).body("id", equalTo(List.of(mine)));
        Gw.as(theirKey).get("/api/v1/stub/echo").then().statusCode(200);
    }

    @Test
    void identityProviderTokensMapToTenantAndRoles() {
        String tenant = Gw.newTenant(null);
        String token = IdpResource.token("alice", tenant, "platform-publishers", "unrelated-group").sign();
        String internal = given().header("Authorization", "Bearer " + token).get("/api/v1/stub/echo").then()
                .statusCode(200).extract().path("headers.authorization");
        Map<String, Object> claims = Jwt.claims(internal.substring("Bearer ".length()));
        assertEquals(tenant, claims.get("tenant"));
        assertEquals("idp:alice", claims.get("sub"));
        assertEquals(List.of("builder", "publisher", "viewer"), claims.get("roles"));
        // ES256 tokens of the IdP too
        given().header("Authorization", "Bearer " + IdpResource.token("alice", tenant, "platform-viewers").es256().sign())
                .get("/api/v1/stub/echo").then().statusCode(200);
    }

    @Test
    void trustsEveryConfiguredIdentityProviderByIssuer() {
        String tenant = Gw.newTenant(null);
        String internal = given()
                .header("Authorization", "Bearer " + IdpResource.secondToken("frank", tenant, "builder").sign())
                .get("/api/v1/stub/echo").then().statusCode(200).extract().path("headers.authorization");
        assertEquals("partner:frank", Jwt.claims(internal.substring(7)).get("sub"));
        assertEquals(List.of("builder", "viewer"), Jwt.claims(internal.substring(7)).get("roles"));
        // a token of the second provider's keys that claims the first provider's issuer is not trusted
        expect401(given().header("Authorization", "Bearer "
                + IdpResource.secondToken("frank", tenant, "builder").issuer(IdpResource.ISSUER).sign()), "/api/v1/stub/echo");
    }

    @Test
    void anOrganisationsOwnProviderNamesItsConfiguredTenantWithoutAClaim() {
        int created = Gw.admin().body(Map.of("id", IdpResource.ORG_TENANT, "name", "An organisation"))
                .post("/api/v1/tenants").statusCode();
        assertTrue(created == 201 || created == 409, "created, or by an earlier run in this JVM: " + created);
        String builders = "6d3c1a52-0b5e-4b8e-9a4f-2f4f1d2c9e11"; // a group as Entra ID names it

        Map<String, Object> claims = Jwt.claims(given()
                .header("Authorization", "Bearer " + IdpResource.orgToken("grace", builders).sign())
                .get("/api/v1/stub/echo").then().statusCode(200).extract().<String> path("headers.authorization")
                .substring(7));
        assertEquals(IdpResource.ORG_TENANT, claims.get("tenant"));
        assertEquals("org:grace", claims.get("sub"));
        assertEquals(List.of("builder", "viewer"), claims.get("roles"));

        // a tenant claim in its tokens changes nothing: the provider speaks for its own organisation only
        String elsewhere = Gw.newTenant(null);
        String internal = given().header("Authorization", "Bearer "
                + IdpResource.orgToken("grace", builders).claim("tenant", elsewhere).claim("org", elsewhere).sign())
                .get("/api/v1/stub/echo").then().statusCode(200).extract().path("headers.authorization");
        assertEquals(IdpResource.ORG_TENANT, Jwt.claims(internal.substring(7)).get("tenant"));
    }

    @Test
    void refusesForgedExpiredAndForeignIdpTokens() {
        String tenant = Gw.newTenant(null);
        for (String bad : List.of(
                IdpResource.token("eve", tenant, "platform-publishers").unsigned(),
                IdpResource.token("eve", tenant, "platform-publishers").signedByUnknownKey().sign(),
                IdpResource.token("eve", tenant, "platform-publishers").expiresIn(Duration.ofMinutes(-5)).sign(),
                IdpResource.token("eve", tenant, "platform-publishers").issuer("https://evil.example").sign(),
                IdpResource.token("eve", tenant, "platform-publishers").audience("someone-else").sign(),
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldmUifQ.c2lnbmF0dXJl")) {
            expect401(given().header("Authorization", "Bearer " + bad), "/api/v1/stub/echo");
            expect401(given().header("Authorization", "Bearer " + bad), "/api/v1/tenants");
        }
    }

    @Test
    void idpTokenForAnUnregisteredTenantIsForbidden() {
        given().header("Authorization", "Bearer " + IdpResource.token("carol", "t-nowhere", "platform-viewers").sign())
                .get("/api/v1/stub/echo").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void membershipsDecideTenantWhenTheTokenNamesNone() {
        String first = Gw.newTenant(null);
        String second = Gw.newTenant(null);
        String subject = "idp:dave-" + first;
        String token = IdpResource.token("dave-" + first, null).sign();
        given().header("Authorization", "Bearer " + token).get("/api/v1/stub/echo").then().statusCode(403);
        Gw.admin().body(Map.of("role", "builder")).put("/api/v1/tenants/" + first + "/members/" + subject).then()
                .statusCode(200).body("role", equalTo("builder"));
        String internal = given().header("Authorization", "Bearer " + token).get("/api/v1/stub/echo").then()
                .statusCode(200).extract().path("headers.authorization");
        assertEquals(first, Jwt.claims(internal.substring(7)).get("tenant"));
        assertEquals(List.of("builder", "viewer"), Jwt.claims(internal.substring(7)).get("roles"));

        Gw.admin().body(Map.of("role", "viewer")).put("/api/v1/tenants/" + second + "/members/" + subject).then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/api/v1/stub/echo").then().statusCode(403);
        internal = given().header("Authorization", "Bearer " + token).header("X-DBP-Tenant", second)
                .get("/api/v1/stub/echo").then().statusCode(200).extract().path("headers.authorization");
        assertEquals(second, Jwt.claims(internal.substring(7)).get("tenant"));
        given().header("Authorization", "Bearer " + token).header("X-DBP-Tenant", Gw.newTenant(null))
                .get("/api/v1/stub/echo").then().statusCode(403);
        Gw.admin().delete("/api/v1/tenants/" + second + "/members/" + subject).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get("/api/v1/stub/echo").then().statusCode(200);
    }

    @Test
    void bootstrapKeyIsAPlatformAdminOfTheBootstrapTenant() throws Exception {
        var file = java.nio.file.Path.of("target/bootstrap-api-key");
        assertEquals("rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)));
        Gw.admin().get("/api/v1/tenants").then().statusCode(200).body("id", hasItem("bootstrap"));
        Gw.admin().queryParam("tenant", "bootstrap").get("/api/v1/api-keys").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].roles", equalTo(List.of("admin", "platform-admin")));
    }
}
