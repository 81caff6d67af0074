package io.defensebuilders.aitools.api;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.RequestIds;
import io.defensebuilders.platform.web.RouteProblems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The MCP endpoint refuses a browser's call from an origin it does not trust, 403 (the specification's defence against
 * DNS rebinding: a page on another site reaching a server on the user's machine). Runs before anything else reads the
 * request; a call without an Origin (every non-browser client) passes.
 */
@ApplicationScoped
public class OriginCheck {

    private final List<Pattern> allowed;

    public OriginCheck(AiToolsConfig config) {
        this.allowed = config.mcp().allowedOrigins().stream().map(Pattern::compile).toList();
    }

    void install(@Observes Router router) {
        // right after platform-common's request checks (RouteProblems), before authentication and the MCP handler
        router.route("/mcp*").order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed.stream().anyMatch(p -> p.matcher(origin).matches())) {
            ctx.next();
            return;
        }
        RouteProblems.write(ctx, ProblemException.forbidden("origin " + origin + " may not call the MCP endpoint "
                + "(dbp.ai-tools.mcp.allowed-origins)"), ctx.request().getHeader(RequestIds.HEADER));
    }
}
