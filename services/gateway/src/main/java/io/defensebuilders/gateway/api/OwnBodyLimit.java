package io.defensebuilders.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.defensebuilders.platform.problem.ProblemException;

/**
 * The gateway lifts the HTTP server's body limit so uploads can stream through to the services; its own endpoints
 * take small JSON documents and refuse anything larger than 64 KiB before reading it.
 */
public class OwnBodyLimit {

    static final long MAX = 64 * 1024;

    @ServerRequestFilter(preMatching = true)
    public void limit(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX) {
                    throw ProblemException.tooLarge("request bodies of the gateway's own endpoints are limited to " + MAX
                            + " bytes").with("limitBytes", MAX);
                }
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number");
            }
        }
    }
}
