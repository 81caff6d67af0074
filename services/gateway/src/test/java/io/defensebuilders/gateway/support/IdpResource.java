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
    /** An organisation's own provider (as Entra ID without a custom claim): every token names {@link #ORG_TENANT}. */
    public static final String ORG_ISSUER = "https://login.org.example.test/v2.0";
    public static final String ORG_TENANT = "org-provider";
    private static final TokenIssuer ORG = new TokenIssuer();

    /** A token of a second trusted provider, with the defaults: tenant in {@code tenant}, roles in {@code roles}. */
    public static TokenIssuer.Builder secondToken(String sub, String tenant, String... roles) {
        return SECOND.token(tenant, sub, roles).issuer(SECOND_ISSUER).audience(AUDIENCE);
    }

    /** A token of the organisation's provider: no tenant claim, its groups (GUIDs, as Entra ID names them). */
    public static TokenIssuer.Builder orgToken(String sub, String... groups) {
        return ORG.token(null, sub).issuer(ORG_ISSUER).audience(AUDIENCE).without("roles").without("rid")
                .without("tenant").claim("groups", List.of(groups));
    }

    /** A token of the IdP for {@code sub}, in {@code org} with {@code groups}. */
    public static TokenIssuer.Builder token(String sub, String org, String... groups) {
        TokenIssuer.Builder b = IDP.token(null, sub).issuer(ISSUER).audience(AUDIENCE).without("roles").without("rid")
                .claim("groups", List.of(groups));
        return org == null ? b : b.claim("org", org);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        provider(p, "idp", IDP.serve(), ISSUER);
        p.put("dbp.gateway.idp.idp.tenant-claim", "org");
        p.put("dbp.gateway.idp.idp.roles-claim", "groups");
        p.put("dbp.gateway.idp.idp.role-map.platform-publishers", "publisher");
        p.put("dbp.gateway.idp.idp.role-map.platform-viewers", "viewer");
        provider(p, "partner", SECOND.serve(), SECOND_ISSUER);
        provider(p, "org", ORG.serve(), ORG_ISSUER);
        p.put("dbp.gateway.idp.org.tenant", ORG_TENANT);
        p.put("dbp.gateway.idp.org.roles-claim", "groups");
        // quoted, as the Helm chart writes every group name
        p.put("dbp.gateway.idp.org.role-map.\"6d3c1a52-0b5e-4b8e-9a4f-2f4f1d2c9e11\"", "builder");
        return p;
    }

    /** The OIDC tenant {@code name}: tokens of {@code issuer}, keys served at {@code base}, for the platform's audience. */
    private static void provider(Map<String, String> p, String name, String base, String issuer) {
        p.put("quarkus.oidc." + name + ".auth-server-url", base);
        p.put("quarkus.oidc." + name + ".discovery-enabled", "false");
        p.put("quarkus.oidc." + name + ".jwks-path", "/.well-known/jwks.json");
        p.put("quarkus.oidc." + name + ".application-type", "service");
        p.put("quarkus.oidc." + name + ".token.issuer", issuer);
        p.put("quarkus.oidc." + name + ".token.audience", AUDIENCE);
    }

    @Override
    public void stop() {
        // one per JVM
    }
}
