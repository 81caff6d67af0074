package io.defensebuilders.platform.auth;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.credential.Credential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer JWTs this replica has verified, remembered until they expire, so that a caller's next request with the same
 * token is not verified again. Verifying the gateway's ES256 signature is most of what authenticating a call costs:
 * 0.45 ms of CPU per call with C2, 1.9 ms with C1 (bench/README.md); the gateway reuses a caller's internal token for
 * 30 s, so nearly every call carries a token verified before.
 *
 * <p>
 * The provider runs before Quarkus OIDC's (a higher priority): it answers only a token byte-for-byte equal to one
 * that OIDC verified and whose {@code exp} has not passed, and otherwise answers nothing, so OIDC verifies as before
 * (a bad token fails there, unchanged). The {@link Recorder} sees each identity OIDC made before any other augmentor
 * and remembers it without the request's own attributes (its routing context); a remembered identity gets the current
 * request's. A token is judged by what it says and by the key that signed it: remembering it changes nothing until
 * the gateway retires a signing key early, when tokens this replica already verified with that key stay accepted
 * until they expire (internal tokens live 60 s).
 *
 * <p>
 * {@code dbp.auth.verified-token-cache.size} bounds the tokens remembered (0 turns it off); when full it starts
 * again. Metrics: {@code dbp.auth.verified.tokens{outcome=hit|miss}} and {@code dbp.auth.verified.tokens.held}.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /** Set on the identities this cache hands out, so they are not remembered again. */
    static final String FROM_CACHE = "io.defensebuilders.verified-token-cache";
    /** Attributes that belong to one request (Quarkus OIDC sets both), never remembered. */
    private static final Set<String> PER_REQUEST = Set.of(RoutingContext.class.getName(),
            AuthenticationRequestContext.class.getName());

    /** An identity OIDC made for a token, without per-request attributes, until {@code expiresAtMillis}. */
    private record Verified(SecurityIdentity identity, long expiresAtMillis) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final int size;
    private final Counter hits;
    private final Counter misses;

    public VerifiedTokens(@ConfigProperty(name = "dbp.auth.verified-token-cache.size", defaultValue = "10000") int size,
            MeterRegistry registry) {
        this.size = size;
        String description = "bearer tokens answered from the verified-token cache (hit) or verified (miss)";
        this.hits = Counter.builder("dbp.auth.verified.tokens").tag("outcome", "hit")
                .description(description)
                .register(registry);
        this.misses = Counter.builder("dbp.auth.verified.tokens").tag("outcome", "miss")
                .description(description)
                .register(registry);
        Gauge.builder("dbp.auth.verified.tokens.held", verified, Map::size)
                .description("verified bearer tokens this replica remembers").register(registry);
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Before Quarkus OIDC's provider, which has the default priority (1001; higher runs first). */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        SecurityIdentity identity = size > 0 ? lookup(request.getToken().getToken(), request.getAttributes()) : null;
        (identity != null ? hits : misses).increment();
        return Uni.createFrom().item(identity);
    }

    /** The remembered identity of {@code token}, with the current request's attributes; null when there is none. */
    SecurityIdentity lookup(String token, Map<String, Object> requestAttributes) {
        Verified v = token == null ? null : verified.get(token);
        if (v == null) {
            return null;
        }
        if (System.currentTimeMillis() >= v.expiresAtMillis()) {
            verified.remove(token, v);
            return null;
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(v.identity()).addAttribute(FROM_CACHE,
                Boolean.TRUE);
        RoutingContext rc = requestAttributes == null ? null
                : HttpSecurityUtils.getRoutingContextAttribute(requestAttributes);
        if (rc != null) {
            builder.addAttribute(RoutingContext.class.getName(), rc);
            Object requestContext = rc.get(AuthenticationRequestContext.class.getName());
            if (requestContext != null) {
                builder.addAttribute(AuthenticationRequestContext.class.getName(), requestContext);
            }
        }
        return builder.build();
    }

    /** Remembers an identity made from a verified JWT, until the token's {@code exp}. */
    void remember(SecurityIdentity identity) {
        if (size <= 0 || identity.isAnonymous() || identity.getAttribute(FROM_CACHE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getRawToken() == null
                || jwt.getExpirationTime() <= 0) {
            return;
        }
        // the token the request carried (OIDC's AccessTokenCredential), not only a principal that names one
        if (identity.getCredentials().stream().noneMatch(c -> c instanceof TokenCredential t
                && jwt.getRawToken().equals(t.getToken()))) {
            return;
        }
        long expires = jwt.getExpirationTime() * 1000;
        if (System.currentTimeMillis() >= expires) {
            return;
        }
        if (verified.size() >= size) {
            verified.clear();
        }
        verified.put(jwt.getRawToken(), new Verified(withoutRequest(identity), expires));
    }

    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.keySet().removeAll(PER_REQUEST);
        Principal principal = identity.getPrincipal();
        Set<Credential> credentials = identity.getCredentials();
        return QuarkusSecurityIdentity.builder().setPrincipal(principal).addRoles(identity.getRoles())
                .addCredentials(credentials).addAttributes(attributes)
                .addPermissionChecker(identity::checkPermission).setAnonymous(false).build();
    }

    /** Tokens remembered now. */
    int held() {
        return verified.size();
    }

    /**
     * Sees each identity first, as its provider made it: remembers the ones Quarkus OIDC made from a verified JWT,
     * before the other augmentors (the role hierarchy, the gateway's IdP mapping) add to them; they run again on a
     * remembered identity.
     */
    @ApplicationScoped
    public static class Recorder implements SecurityIdentityAugmentor {

        private final VerifiedTokens tokens;

        public Recorder(VerifiedTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public int priority() {
            return Integer.MAX_VALUE;
        }

        @Override
        public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
            tokens.remember(identity);
            return Uni.createFrom().item(identity);
        }
    }
}
