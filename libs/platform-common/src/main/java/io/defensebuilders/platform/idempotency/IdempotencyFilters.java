package io.defensebuilders.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem.HttpMethod;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code Idempotency-Key} on every write (POST, PUT, PATCH, DELETE) under {@code dbp.idempotency.paths}
 * (draft-ietf-httpapi-idempotency-key-header): the first request with a key acts and its answer is kept for
 * {@code dbp.idempotency.ttl} (24 h); a retry with the same key and the same request (method, path, query, body) gets
 * that answer again, with {@code Idempotent-Replayed: true}, and acts no more. The same key with another request is a
 * 422; a retry while the first is still running, a 409 with Retry-After. Keys belong to the caller's tenant. A 5xx
 * answer is not kept, so a retry after a failure acts again; a first request that never finished (its process died)
 * frees its key after {@code dbp.idempotency.abandon-after}. A service that lists paths has the {@code
 * idempotency_key} table (billing: V5__idempotency_keys.sql).
 * <p>
 * The answer is kept after the write it answers has committed, not in its transaction: a process that dies between
 * the two lets a retry act again, which billing's writes refuse on their own (one active subscription, credits up to
 * the invoice's total, a plan change to the plan already in effect).
 */
@Singleton
public class IdempotencyFilters {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    /** The request's attachment: the key it claimed, whose answer the response filter keeps. */
    private static final String CLAIMED = "dbp.idempotency.claimed";

    private final Instance<Pool> pools;
    private final TenantContext tenant;
    private final ObjectMapper mapper;
    /** Read at run time: filters are made during static initialisation, before the run-time configuration. */
    private volatile Settings settings;

    public IdempotencyFilters(Instance<Pool> pools, TenantContext tenant, ObjectMapper mapper) {
        // asked for only by a service that lists paths (analytics, for one, has no reactive pool)
        this.pools = pools;
        this.tenant = tenant;
        this.mapper = mapper;
    }

    private record Settings(List<String> paths, long maxBody, Duration ttl, Duration abandonAfter) {
    }

    private Settings settings() {
        Settings s = settings;
        if (s == null) {
            var config = ConfigProvider.getConfig();
            s = new Settings(config.getOptionalValues("dbp.idempotency.paths", String.class).orElse(List.of()),
                    config.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                            .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024),
                    config.getOptionalValue("dbp.idempotency.ttl", Duration.class).orElse(Duration.ofHours(24)),
                    config.getOptionalValue("dbp.idempotency.abandon-after", Duration.class).orElse(Duration.ofSeconds(60)));
            settings = s;
        }
        return s;
    }

    /** Reads the body of a keyed write under {@code dbp.idempotency.paths} before it is matched, to fingerprint it. */
    void readBodies(@Observes Router router) {
        if (settings().paths().isEmpty()) {
            return;
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(settings().maxBody());
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(ctx -> {
            if (ctx.request().getHeader(HEADER) != null && keyed(ctx.request().method().name(), ctx.normalizedPath())) {
                body.handle(ctx);
            } else {
                ctx.next();
            }
        });
    }

    @ServerRequestFilter
    public Uni<Response> claim(ContainerRequestContext request, RoutingContext ctx) {
        String key = request.getHeaderString(HEADER);
        if (key == null || !keyed(request.getMethod(), ctx.normalizedPath())) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.invalid(HEADER, "1 to 255 visible ASCII characters, e.g. a UUID");
        }
        // read by readBodies before the call was matched
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        Caller caller = tenant.caller();
        byte[] fingerprint = fingerprint(request.getMethod(), ctx.request().uri(), body);
        return pools.get().preparedQuery("INSERT INTO idempotency_key AS k (tenant, key, fingerprint) VALUES ($1, $2, $3) "
                + "ON CONFLICT (tenant, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = NULL, "
                + "content_type = NULL, location = NULL, body = NULL, created_at = now() "
                + "WHERE k.created_at < now() - make_interval(secs => $4) "
                + "OR (k.status IS NULL AND k.created_at < now() - make_interval(secs => $5)) RETURNING k.key")
                .execute(Tuple.of(caller.tenant(), key, fingerprint, (double) settings().ttl().toSeconds(),
                        (double) settings().abandonAfter().toSeconds()))
                .flatMap(claimed -> {
                    if (claimed.rowCount() == 1) {
                        request.setProperty(CLAIMED, new Claim(caller.tenant(), key));
                        return Uni.createFrom().nullItem();
                    }
                    return pools.get().preparedQuery("SELECT fingerprint, status, content_type, location, body "
                            + "FROM idempotency_key WHERE tenant = $1 AND key = $2")
                            .execute(Tuple.of(caller.tenant(), key))
                            .map(rows -> answer(rows.iterator().hasNext() ? rows.iterator().next() : null, fingerprint));
                });
    }

    /** The answer to a request whose key was used before: the first answer, or why there is none to give. */
    private static Response answer(Row first, byte[] fingerprint) {
        if (first == null) {
            // expired and removed between the two statements: a retry claims it anew
            throw new ProblemException(ProblemType.CONFLICT, "this Idempotency-Key was just released; retry")
                    .with(Problem.RETRY_AFTER_SECONDS, 1);
        }
        if (!MessageDigest.isEqual(first.getBuffer("fingerprint").getBytes(), fingerprint)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "this Idempotency-Key was used for another request "
                    + "(method, path or body); use a new key for a new request");
        }
        Integer status = first.getInteger("status");
        if (status == null) {
            throw new ProblemException(ProblemType.CONFLICT, "a request with this Idempotency-Key is still being "
                    + "processed; retry when it has been answered").with(Problem.RETRY_AFTER_SECONDS, 1);
        }
        Response.ResponseBuilder replay = Response.status(status).header(REPLAYED, "true");
        if (first.getString("location") != null) {
            replay.header(HttpHeaders.LOCATION, first.getString("location"));
        }
        var body = first.getBuffer("body");
        if (body != null) {
            replay.entity(body.getBytes()).type(first.getString("content_type"));
        }
        return replay.build();
    }

    @ServerResponseFilter
    public Uni<Void> keep(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIMED) instanceof Claim claim)) {
            return Uni.createFrom().voidItem();
        }
        if (response.getStatus() >= 500) {
            // not an answer to keep: the key is free again for a retry
            return pools.get().preparedQuery("DELETE FROM idempotency_key WHERE tenant = $1 AND key = $2 AND status IS NULL")
                    .execute(Tuple.of(claim.tenant(), claim.key())).replaceWithVoid();
        }
        byte[] body;
        try {
            body = response.hasEntity() ? mapper.writeValueAsBytes(response.getEntity()) : null;
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
        return pools.get().preparedQuery("UPDATE idempotency_key SET status = $3, content_type = $4, location = $5, body = $6 "
                + "WHERE tenant = $1 AND key = $2")
                .execute(Tuple.tuple().addString(claim.tenant()).addString(claim.key()).addInteger(response.getStatus())
                        // not chosen yet when the entity is written by the default (JSON) writer
                        .addString(response.getMediaType() == null ? "application/json" : response.getMediaType().toString())
                        .addString(location == null ? null : location.toString())
                        .addBuffer(body == null ? null : io.vertx.mutiny.core.buffer.Buffer.buffer(body)))
                .replaceWithVoid();
    }

    /** Whether a call is a write under {@code dbp.idempotency.paths}, which takes an Idempotency-Key. */
    private boolean keyed(String method, String path) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"))
                && settings().paths().stream().anyMatch(path::startsWith);
    }

    /**
     * Documents the header on every write under {@code paths} of {@code openAPI}, with the 409 and 422 it may bring
     * (called by the platform's OpenAPI filter).
     */
    public static void document(OpenAPI openAPI, List<String> paths) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (paths.stream().noneMatch(path::startsWith)) {
                return;
            }
            item.getOperations().forEach((method, op) -> {
                if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
                    return;
                }
                op.addParameter(OASFactory.createParameter().name(HEADER).in(Parameter.In.HEADER).required(false)
                        .description("Makes the call safe to retry: a retry with the same key and request while the"
                                + " key is kept (24 h unless configured otherwise) gets the first answer (with"
                                + " Idempotent-Replayed: true) and does not act again. 1 to 255 visible ASCII"
                                + " characters; a new UUID per intended call.")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(255)));
                var responses = op.getResponses();
                if (responses != null && !responses.hasAPIResponse("422")) {
                    responses.addAPIResponse("422", OASFactory.createAPIResponse()
                            .description("The Idempotency-Key was used for another request"));
                }
                if (responses != null && !responses.hasAPIResponse("409")) {
                    responses.addAPIResponse("409", OASFactory.createAPIResponse()
                            .description("A request with this Idempotency-Key is still being processed"));
                }
            });
        });
    }

    private static byte[] fingerprint(String method, String uri, Buffer body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + uri + "\n").getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                sha.update(body.getBytes());
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Claim(String tenant, String key) {
    }
}
