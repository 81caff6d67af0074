package io.defensebuilders.gateway.token;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.auth.Caller;

/**
 * Mints the short-lived internal JWT that carries a verified caller to the services behind the gateway, and reuses a
 * caller's token for {@code dbp.gateway.token.reuse} (at most half its lifetime) because signing dominates the cost
 * of a proxied call otherwise.
 */
@Singleton
public class InternalTokens {

    private static final int MAX_CACHED = 100_000;
    private static final String BEARER = "Bearer ";

    /** A minted token as the {@code Authorization} header value that carries it. */
    private record Minted(String authorization, long reuseUntilMillis) {
    }

    private record Key(String kid, Caller caller) {
    }

    private final SigningKeys keys;
    private final long ttlSeconds;
    private final long reuseMillis;
    private final Map<Key, Minted> cache = new ConcurrentHashMap<>();

    public InternalTokens(SigningKeys keys, GatewayConfig config) {
        this.keys = keys;
        this.ttlSeconds = config.token().ttl().toSeconds();
        this.reuseMillis = Math.min(config.token().reuse().toMillis(), config.token().ttl().toMillis() / 2);
    }

    /**
     * The {@code Authorization} header value ({@code Bearer <token>}) for a call of {@code caller}: the token is reused
     * when one was minted for the same caller and key recently, else new.
     */
    public String authorization(Caller caller, String requestId) {
        if (reuseMillis <= 0) {
            return BEARER + mint(caller, requestId);
        }
        SigningKeys.Key key = keys.current();
        Key cacheKey = new Key(key.kid(), caller);
        long now = System.currentTimeMillis();
        Minted hit = cache.get(cacheKey);
        if (hit != null && hit.reuseUntilMillis() > now) {
            return hit.authorization();
        }
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        String authorization = BEARER + sign(caller, requestId, key);
        cache.put(cacheKey, new Minted(authorization, now + reuseMillis));
        return authorization;
    }

    /** A new token for {@code caller}, stamped with the request id. */
    public String mint(Caller caller, String requestId) {
        return sign(caller, requestId, keys.current());
    }

    private String sign(Caller caller, String requestId, SigningKeys.Key key) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(InternalToken.ISSUER);
        claims.setAudience(InternalToken.AUDIENCE);
        claims.setSubject(caller.subject());
        claims.setClaim(InternalToken.TENANT_CLAIM, caller.tenant());
        List<String> roles = caller.roles().stream().map(Role::claimValue).sorted().collect(Collectors.toList());
        claims.setStringListClaim(InternalToken.ROLES_CLAIM, roles);
        claims.setClaim(InternalToken.REQUEST_ID_CLAIM, requestId);
        NumericDate now = NumericDate.now();
        claims.setIssuedAt(now);
        NumericDate exp = NumericDate.fromSeconds(now.getValue() + ttlSeconds);
        claims.setExpirationTime(exp);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.jwk().getPrivateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(key.jwk().getAlgorithm());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an internal token", e);
        }
    }
}
