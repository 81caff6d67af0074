package io.defensebuilders.gateway.proxy;

import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** problem+json answers written straight to a Vert.x response, for the proxy routes outside the REST layer. */
final class ProblemWriter {

    private ProblemWriter() {
    }

    static String json(int status, String slug, String title, String detail, String instance, String requestId) {
        JsonObject body = new JsonObject().put("type", Problem.TYPE_BASE + slug).put("title", title).put("status", status)
                .put("detail", detail).put("instance", instance);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return body.encode();
    }

    static void write(RoutingContext context, ProblemException e, String requestId) {
        Problem p = e.toProblem();
        JsonObject body = JsonObject.mapFrom(p.withInstance(context.normalizedPath(), requestId));
        var response = context.response().setStatusCode(p.status()).putHeader("content-type", Problem.MEDIA_TYPE);
        if (p.status() == 401) {
            response.putHeader("www-authenticate", "Bearer");
        }
        response.end(body.encode());
    }

    static void write(RoutingContext context, ProblemType type, String detail, String requestId) {
        write(context, new ProblemException(type, detail), requestId);
    }
}
