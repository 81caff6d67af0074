package io.defensebuilders.gateway.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key as presented, waiting to be verified. */
public class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiKeyAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
