package io.defensebuilders.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.OwnDatabaseGateway;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A Helm install gives the gateway its bootstrap key (dbp.gateway.bootstrap.key, from a Secret): on an empty database
 * that key is created, works as a platform admin's, and is neither printed nor written anywhere.
 */
@QuarkusTest
@TestProfile(BootstrapKeyTest.EmptyDatabase.class)
class BootstrapKeyTest {

    static final String KEY = "dbp_0123456789abcdef_kP2rWq8xYz4AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    private static final String KEY_FILE = "target/bootstrap-api-key-configured";

    public static class EmptyDatabase extends OwnDatabaseGateway {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dbp.gateway.bootstrap.key", KEY, "dbp.gateway.bootstrap.key-file", KEY_FILE);
        }
    }

    @Test
    void theConfiguredKeyIsThePlatformAdminsAndIsWrittenNowhere() {
        Gw.as(KEY).get("/api/v1/tenants").then().statusCode(200);
        Gw.as(KEY.substring(0, KEY.length() - 1) + "6").get("/api/v1/tenants").then().statusCode(401);
        assertFalse(Files.exists(Path.of(KEY_FILE)), "a configured key is not handed over through a file");
    }

    @Test
    void aConfiguredValueThatIsNoKeyIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.defensebuilders.gateway.service.Bootstrap.configured("not-a-key"));
    }
}
