package io.defensebuilders.testing.jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpServer;

import io.defensebuilders.contracts.auth.InternalToken;

/**
 * Mints internal JWTs the way the gateway does (RS256 or ES256, with the platform's issuer, audience and claims)
 * and serves their keys as a JWKS over real HTTP, so services verify them exactly as in production.
 */
public final class TokenIssuer {

    private final PublicJsonWebKey rsa;
    private final PublicJsonWebKey ec;
    private final List<PublicJsonWebKey> published = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** An issuer with fresh keys. */
    public TokenIssuer() {
        this(newRsa(), newEc());
    }

    private TokenIssuer(PublicJsonWebKey rsa, PublicJsonWebKey ec) {
        this.rsa = rsa;
        this.ec = ec;
        published.add(rsa);
        published.add(ec);
    }

    private static PublicJsonWebKey newRsa() {
        try {
            PublicJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("rsa-" + UUID.randomUUID());
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicJsonWebKey newEc() {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId("ec-" + UUID.randomUUID());
            key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves {@code /.well-known/jwks.json} on a free loopback port; returns the base URL. */
    public synchronized String serve() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext(InternalToken.JWKS_PATH, exchange -> {
                byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        return baseUrl();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The public keys, as a JWKS document. */
    public String jwks() {
        List<JsonWebKey> keys = new ArrayList<>();
        for (PublicJsonWebKey key : published) {
            try {
                keys.add(PublicJsonWebKey.Factory.newPublicJwk(key.getPublicKey()));
                keys.getLast().setKeyId(key.getKeyId());
                keys.getLast().setAlgorithm(key.getAlgorithm());
                keys.getLast().setUse("sig");
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Starts a token for {@code tenant} / {@code subject} with the given role claim values. */
    public Builder token(String tenant, String subject, String... roles) {
        return new Builder(tenant, subject, List.of(roles));
    }

    /** A token under construction; every knob exists so tests can build the bad ones too. */
    public final class Builder {
        private final JwtClaims claims = new JwtClaims();
        private String algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
        private boolean unknownKey;

        private Builder(String tenant, String subject, List<String> roles) {
            claims.setIssuer(InternalToken.ISSUER);
            claims.setAudience(InternalToken.AUDIENCE);
            claims.setSubject(subject);
            if (tenant != null) {
                claims.setClaim(InternalToken.TENANT_CLAIM, tenant);
            }
            claims.setStringListClaim(InternalToken.ROLES_CLAIM, roles);
            claims.setClaim(InternalToken.REQUEST_ID_CLAIM, UUID.randomUUID().toString());
            claims.setGeneratedJwtId();
            claims.setIssuedAtToNow();
            expiresIn(Duration.ofMinutes(5));
        }

        /** Any further claim (a string, a list of strings, a number). */
        public Builder claim(String name, Object value) {
            if (value instanceof java.util.List<?> list) {
                claims.setStringListClaim(name, list.stream().map(String::valueOf).toList());
            } else {
                claims.setClaim(name, value);
            }
            return this;
        }

        /** Drops a claim the builder set by default (e.g. the tenant). */
        public Builder without(String name) {
            claims.unsetClaim(name);
            return this;
        }

        public Builder es256() {
            algorithm = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            return this;
        }

        public Builder expiresIn(Duration ttl) {
            claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().plus(ttl).getEpochSecond()));
            return this;
        }

        public Builder issuer(String issuer) {
            claims.setIssuer(issuer);
            return this;
        }

        public Builder audience(String audience) {
            claims.setAudience(audience);
            return this;
        }

        /** Signs with a fresh key the JWKS does not contain. */
        public Builder signedByUnknownKey() {
            unknownKey = true;
            return this;
        }

        public String sign() {
            try {
                PublicJsonWebKey key = algorithm.startsWith("ES") ? ec : rsa;
                if (unknownKey) {
                    key = RsaJwkGenerator.generateJwk(2048);
                    key.setKeyId("unknown-" + UUID.randomUUID());
                    algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
                }
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload(claims.toJson());
                jws.setKey(key.getPrivateKey());
                jws.setKeyIdHeaderValue(key.getKeyId());
                jws.setAlgorithmHeaderValue(algorithm);
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The same claims with {@code "alg": "none"} and no signature: must always be refused. */
        public String unsigned() {
            String header = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + ".";
        }
    }
}
