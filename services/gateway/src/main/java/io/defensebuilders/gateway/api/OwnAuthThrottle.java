package io.defensebuilders.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.auth.AuthThrottle;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@link AuthThrottle} on the gateway's own endpoints (tenants, API keys, signing keys): a blocked caller is refused
 * before its credential is looked at, and every 401 to a call that presented one counts as a failure. The proxied
 * routes do the same in GatewayRoutes.
 */
public class OwnAuthThrottle {

    private final AuthThrottle throttle;

    public OwnAuthThrottle(AuthThrottle throttle) {
        this.throttle = throttle;
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request, HttpServerRequest http) {
        String credential = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (credential == null) {
            credential = request.getHeaderString("X-API-Key");
        }
        if (credential == null) {
            return null;
        }
        long wait = throttle.retryAfterSeconds(address(http), keyId(credential));
        if (wait > 0) {
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "too many failed authentications; retry in "
                    + wait + " s").with(Problem.RETRY_AFTER_SECONDS, wait);
        }
        return null;
    }

    @ServerResponseFilter
    public Uni<Void> count(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        String credential = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (credential == null) {
            credential = request.getHeaderString("X-API-Key");
        }
        if (response.getStatus() != 401 || credential == null) {
            return Uni.createFrom().voidItem();
        }
        // the 401 leaves once the failure is counted (AuthThrottle.failed)
        var counted = throttle.failed(address(http), keyId(credential));
        return Uni.createFrom().completionStage(counted.toCompletionStage());
    }

    private static String address(HttpServerRequest http) {
        return http.remoteAddress() == null ? "-" : http.remoteAddress().hostAddress();
    }

    private static String keyId(String credential) {
        String token = credential.regionMatches(true, 0, "Bearer ", 0, 7) ? credential.substring(7).trim() : credential.trim();
        return ApiKeyCodec.parse(token).map(ApiKeyCodec.Presented::id).orElse(null);
    }
}
