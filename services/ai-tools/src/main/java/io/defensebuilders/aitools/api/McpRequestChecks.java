package io.defensebuilders.aitools.api;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.RequestIds;
import io.defensebuilders.platform.web.RouteProblems;
import io.quarkiverse.mcp.server.runtime.McpMessageHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What the MCP endpoint refuses before the MCP server reads a request, each with a problem+json that says why:
 * <ul>
 * <li>a browser's call from an origin it does not trust, 403 (the specification's defence against DNS rebinding: a
 * page on another site reaching a server on the user's machine); calls without an Origin (every client that is not a
 * browser) pass;</li>
 * <li>a POST whose Accept does not list both {@code application/json} and {@code text/event-stream}, or whose
 * {@code MCP-Protocol-Version} the server does not speak, 400;</li>
 * <li>a body larger than {@code dbp.ai-tools.mcp.max-request-bytes}, 413, or JSON that is not a JSON-RPC message (an
 * object, or an array of objects), 400. Text that is not JSON at all is the MCP server's to answer: a JSON-RPC parse
 * error, as the protocol says.</li>
 * </ul>
 */
@ApplicationScoped
public class McpRequestChecks {

    private static final String PATH = "/mcp";
    private static final int AFTER_SECURITY = -50;

    private final List<Pattern> allowed;
    private final long maxRequestBytes;

    public McpRequestChecks(AiToolsConfig config) {
        this.allowed = config.mcp().allowedOrigins().stream().map(Pattern::compile).toList();
        this.maxRequestBytes = config.mcp().maxRequestBytes();
    }

    void install(@Observes Router router) {
        // the origin right after platform-common's request checks (RouteProblems), before anything else reads it
        router.route(PATH).order(Integer.MIN_VALUE + 1).handler(this::origin);
        // the rest after Quarkus' authentication and authorization filters (orders -200 and -100: nothing of an
        // unauthenticated request is read) and before the MCP server's route (registered without an order, so at 0 or
        // after); the body is read here with a bound, and the MCP server's body handler finds it read
        router.route(HttpMethod.POST, PATH).order(AFTER_SECURITY).handler(this::headers);
        router.route(HttpMethod.POST, PATH).order(AFTER_SECURITY + 1)
                .handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes));
        router.route(HttpMethod.POST, PATH).order(AFTER_SECURITY + 2).handler(this::message);
    }

    private void origin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed.stream().anyMatch(p -> p.matcher(origin).matches())) {
            ctx.next();
            return;
        }
        refuse(ctx, ProblemException.forbidden("origin " + origin + " may not call the MCP endpoint "
                + "(dbp.ai-tools.mcp.allowed-origins)"));
    }

    private void headers(RoutingContext ctx) {
        String accept = String.join(",", ctx.request().headers().getAll(HttpHeaders.ACCEPT));
        if (!accept.contains("application/json") || !accept.contains("text/event-stream")) {
            refuse(ctx, ProblemException.badRequest("Accept must list application/json and text/event-stream "
                    + "(MCP Streamable HTTP); it was: " + (accept.isEmpty() ? "absent" : accept)));
            return;
        }
        String version = ctx.request().getHeader("MCP-Protocol-Version");
        if (version != null && !McpMessageHandler.SUPPORTED_PROTOCOL_VERSIONS.contains(version)) {
            refuse(ctx, ProblemException.badRequest("MCP-Protocol-Version " + version + " is not supported; this "
                    + "server speaks " + String.join(", ", McpMessageHandler.SUPPORTED_PROTOCOL_VERSIONS)));
            return;
        }
        ctx.next();
    }

    private void message(RoutingContext ctx) {
        var body = ctx.body().buffer();
        // an object (nearly every request) is the MCP server's to read, parse error included: read once, there
        int first = 0;
        while (body != null && first < body.length() && Character.isWhitespace(body.getByte(first))) {
            first++;
        }
        if (body == null || first == body.length() || body.getByte(first) == '{') {
            ctx.next();
            return;
        }
        Object json;
        try {
            json = Json.decodeValue(body);
        } catch (DecodeException e) {
            // not JSON: the MCP server answers a JSON-RPC parse error
            ctx.next();
            return;
        }
        if (!(json instanceof JsonArray array && !array.isEmpty()
                && array.stream().allMatch(JsonObject.class::isInstance))) {
            refuse(ctx, ProblemException.badRequest("the body is not a JSON-RPC message: an object, or an array of "
                    + "objects, is expected"));
            return;
        }
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, ProblemException problem) {
        RouteProblems.write(ctx, problem, ctx.request().getHeader(RequestIds.HEADER));
    }

}
