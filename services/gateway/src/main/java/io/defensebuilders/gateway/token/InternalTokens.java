package io.defensebuilders.gateway.token;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.defensebuilders.contracts.auth.InternalToken;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.auth.Caller;

/** Mints the short-lived internal JWT that carries a verified caller to the services behind the gateway. */
@ApplicationScoped
public class InternalTokens {

    private final SigningKeys keys;
    private final long ttlSeconds;

    public InternalTokens(SigningKeys keys, GatewayConfig config) {
        this.keys = keys;
        this.ttlSeconds = config.token().ttl().toSeconds();
    }

    /** A token for {@code caller}, stamped with the gateway's request id. */
    public String mint(Caller caller, String requestId) {
        SigningKeys.Key key = keys.current();
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
