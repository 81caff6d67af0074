package io.defensebuilders.contracts.auth;

/**
 * The internal JWT the gateway mints for every call it forwards, and every service verifies against the
 * gateway's JWKS (RS256 or ES256). No service trusts a bare header.
 */
public final class InternalToken {

    /** {@code iss} of every internal token. */
    public static final String ISSUER = "https://gateway.defensebuilders.internal";
    /** {@code aud} of every internal token. */
    public static final String AUDIENCE = "dbp-services";
    /** Claim holding the tenant id. */
    public static final String TENANT_CLAIM = "tenant";
    /** Claim holding the role names (see {@code Role}); the subject is the standard {@code sub}. */
    public static final String ROLES_CLAIM = "roles";
    /** Claim holding the gateway's request id, for logs. */
    public static final String REQUEST_ID_CLAIM = "rid";
    /** Path of the gateway's JWKS document. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private InternalToken() {
    }
}
