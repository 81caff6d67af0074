package io.defensebuilders.gateway.support;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.defensebuilders.testing.infra.KeycloakRealm;
import io.defensebuilders.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Keycloak (the test run's, {@link SharedInfra#keycloak()}) with the platform's realm file loaded as a realm of
 * this JVM's own, trusted by the gateway as the OIDC tenant {@code keycloak} exactly as an operator would configure
 * it: discovery from the issuer, audience {@code dbp-gateway}, tenant in the {@code tenant} claim, roles from groups.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    /** The realm file the local runtime and the chart's examples use. */
    public static final Path REALM_FILE = Path.of("../../deploy/local/keycloak/defense-builders-realm.json");
    private static KeycloakRealm realm;

    /** This JVM's realm, created on first use. */
    public static synchronized KeycloakRealm realm() {
        if (realm == null) {
            // devices poll every second here (5 s in the realm file), so a device sign-in takes a second, not five
            realm = KeycloakRealm.create(SharedInfra.keycloak(), REALM_FILE,
                    "dbp-" + UUID.randomUUID().toString().substring(0, 8), Map.of("oauth2DevicePollingInterval", 1));
        }
        return realm;
    }

    @Override
    public Map<String, String> start() {
        return realm().gatewayProperties();
    }

    @Override
    public void stop() {
        // the realm lives as long as the Keycloak of the run
    }
}
