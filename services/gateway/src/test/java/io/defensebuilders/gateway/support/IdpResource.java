package io.defensebuilders.gateway.support;

import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.jwt.TokenIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A customer identity provider: a real JWKS endpoint and tokens with the IdP's issuer and audience, tenant in the
 * {@code org} claim and groups in {@code groups}, configured as the gateway's OIDC tenant {@code idp}.
 */
public class IdpResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://idp.example.test";
    public static final String SECOND_ISSUER = "https://login.partner.example.test";
    public static final String AUDIENCE = "dbp-gateway";
    private static final TokenIssuer IDP = new TokenIssuer();
    private static final TokenIssuer SECOND = new TokenIssuer();

    /** A token of a second trusted provider, with the defaults: tenant in {@code tenant}, roles in {@code roles}. */
    public static TokenIssuer.Builder secondToken(String sub, String tenant, String... roles) {
        return SECOND.token(tenant, sub, roles).issuer(SECOND_ISSUER).audience(AUDIENCE);
    }

    /** A token of the IdP for {@code sub}, in {@code org} with {@code groups}. */
    public static TokenIssuer.Builder token(String sub, String org, String... groups) {
        TokenIssuer.Builder b = IDP.token(null, sub).issuer(ISSUER).audience(AUDIENCE).without("roles").without("rid")
                .claim("groups", List.of(groups));
        return org == null ? b : b.claim("org", org);
    }

    @Override
    public Map<String, String> start() {
        String base = IDP.serve();
        String second = SECOND.serve();
        return Map.ofEntries(
                Map.entry("quarkus.oidc.partner.auth-server-url", second),
                Map.entry("quarkus.oidc.partner.discovery-enabled", "false"),
                Map.entry("quarkus.oidc.partner.jwks-path", "/.well-known/jwks.json"),
                Map.entry("quarkus.oidc.partner.application-type", "service"),
                Map.entry("quarkus.oidc.partner.token.issuer", SECOND_ISSUER),
                Map.entry("quarkus.oidc.partner.token.audience", AUDIENCE),
                Map.entry("quarkus.oidc.idp.auth-server-url", base),
                Map.entry("quarkus.oidc.idp.discovery-enabled", "false"),
                Map.entry("quarkus.oidc.idp.jwks-path", "/.well-known/jwks.json"),
                Map.entry("quarkus.oidc.idp.application-type", "service"),
                Map.entry("quarkus.oidc.idp.token.issuer", ISSUER),
                Map.entry("quarkus.oidc.idp.token.audience", AUDIENCE),
                Map.entry("dbp.gateway.idp.idp.tenant-claim", "org"),
                Map.entry("dbp.gateway.idp.idp.roles-claim", "groups"),
                Map.entry("dbp.gateway.idp.idp.role-map.platform-publishers", "publisher"),
                Map.entry("dbp.gateway.idp.idp.role-map.platform-viewers", "viewer"));
    }

    @Override
    public void stop() {
        // one per JVM
    }
}
