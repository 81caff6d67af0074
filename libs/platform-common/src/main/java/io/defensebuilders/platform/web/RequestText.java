package io.defensebuilders.platform.web;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.defensebuilders.platform.problem.ProblemException;

/**
 * Refuses, before a resource method sees it, a path or query parameter whose decoded text breaks {@link TextRules} (a
 * {@code %00}, a lone surrogate) or cannot be decoded at all: a 400 naming the parameter, instead of a database
 * error or a silently altered value further in. Runs once the request is matched, so a path parameter is named by
 * its name ({@code noradId}); the rest of the path is {@code path}.
 */
public class RequestText {

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        Map<String, List<String>> query;
        Map<String, List<String>> path;
        String whole;
        try {
            whole = request.getUriInfo().getPath();
            path = request.getUriInfo().getPathParameters();
            query = request.getUriInfo().getQueryParameters();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("the request URI is not correctly percent-encoded UTF-8");
        }
        String problem;
        for (Map.Entry<String, List<String>> parameter : path.entrySet()) {
            for (String value : parameter.getValue()) {
                problem = TextRules.problem(value);
                if (problem != null) {
                    throw ProblemException.invalid(parameter.getKey(), problem);
                }
            }
        }
        problem = TextRules.problem(whole);
        if (problem != null) {
            throw ProblemException.invalid("path", problem);
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            problem = TextRules.problem(parameter.getKey());
            if (problem != null) {
                throw ProblemException.invalid("query", "a parameter name " + problem);
            }
            for (String value : parameter.getValue()) {
                problem = TextRules.problem(value);
                if (problem != null) {
                    throw ProblemException.invalid(parameter.getKey(), problem);
                }
            }
        }
    }
}
