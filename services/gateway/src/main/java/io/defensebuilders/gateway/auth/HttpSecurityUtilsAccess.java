package io.defensebuilders.gateway.auth;

import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;

/** Attaches the routing context to an authentication request, as Quarkus' own mechanisms do. */
final class HttpSecurityUtilsAccess {

    private HttpSecurityUtilsAccess() {
    }

    static <T extends AuthenticationRequest> T attach(RoutingContext context, T request) {
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return request;
    }
}
