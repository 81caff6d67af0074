package io.defensebuilders.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.service.ServiceKeys;
import io.defensebuilders.gateway.service.ServiceKeys.Outcome;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The platform's own services' keys: created from a directory of key files on the bootstrap tenant with the
 * platform-admin role alone (what minting internal tokens needs); created once, so a
 * revoked one stays revoked; a file that is not a key is skipped.
 */
@QuarkusTest
class ServiceKeysTest {

    @Inject
    ServiceKeys serviceKeys;

    @Test
    void eachServiceGetsItsKeyOnceAndARevocationHolds() throws Throwable {
        Path dir = Files.createTempDirectory("service-keys");
        String orbital = ApiKeyCodec.issue().token();
        String registry = ApiKeyCodec.issue().token();
        Files.writeString(dir.resolve("orbital"), orbital + "\n");
        Files.writeString(dir.resolve("sdk-registry"), registry);
        Files.writeString(dir.resolve("broken"), "not a key");
        Files.createDirectory(dir.resolve("..data"));

        assertEquals(Map.of("orbital", Outcome.CREATED, "sdk-registry", Outcome.CREATED), serviceKeys.ensure(dir));
        assertEquals(Map.of("orbital", Outcome.KNOWN, "sdk-registry", Outcome.KNOWN), serviceKeys.ensure(dir));

        String tenant = Gw.newTenant("enterprise");
        String token = Gw.as(orbital).body(Map.of("tenant", tenant, "subject", "service:orbital", "roles",
                List.of("viewer"))).post("/api/v1/gateway/tokens").then().statusCode(200).extract().path("token");
        assertEquals(tenant, Jwt.claims(token).get("tenant"));

        String id = ApiKeyCodec.parse(registry).orElseThrow().id();
        Gw.admin().delete("/api/v1/api-keys/" + id).then().statusCode(204);
        assertEquals(Map.of("orbital", Outcome.KNOWN, "sdk-registry", Outcome.KNOWN), serviceKeys.ensure(dir));
        Gw.as(registry).body(Map.of("tenant", tenant, "subject", "service:sdk-registry", "roles", List.of("viewer")))
                .post("/api/v1/gateway/tokens").then().statusCode(401);
    }
}
