package io.defensebuilders.platform.problem;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.defensebuilders.platform.sql.DatabaseFailures;
import io.defensebuilders.platform.web.RequestIds;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every exception that leaves a REST resource into an RFC 9457 problem+json answer. Client mistakes get a
 * 4xx that says what to fix; anything unexpected is a 500 whose body reveals nothing and whose log line carries
 * the request id.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Java packages, classes and exceptions: words that must not reach a client. */
    public static final java.util.regex.Pattern INTERNAL_WORDS = java.util.regex.Pattern.compile(
            "\\b(?:java|javax|jakarta|io|org|com)\\.[a-z]+\\.|Exception\\b|\\$[A-Z]|\\bclass [A-Za-z]");

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request, UriInfo uri) {
        return respond(e.toProblem(), request, uri);
    }

    @ServerExceptionMapper({ ConstraintViolationException.class, ResteasyReactiveViolationException.class })
    public Response violations(ConstraintViolationException e, ContainerRequestContext request, UriInfo uri) {
        boolean ourFault = e.getConstraintViolations().stream().anyMatch(v -> java.util.stream.StreamSupport
                .stream(v.getPropertyPath().spliterator(), false)
                .anyMatch(node -> node.getKind() == jakarta.validation.ElementKind.RETURN_VALUE));
        if (ourFault) {
            return unexpected(e, request, uri);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        ProblemType v = ProblemType.VALIDATION;
        return respond(new ProblemException(v.status(), v.slug(), v.title(), detail, errors).toProblem(), request, uri);
    }

    // every subclass named: a mapper is chosen by the nearest class, and Quarkus maps MismatchedInputException itself
    @ServerExceptionMapper({ JsonProcessingException.class, com.fasterxml.jackson.core.JsonParseException.class,
            com.fasterxml.jackson.core.exc.StreamReadException.class,
            com.fasterxml.jackson.core.exc.StreamConstraintsException.class,
            com.fasterxml.jackson.core.exc.InputCoercionException.class,
            com.fasterxml.jackson.databind.JsonMappingException.class,
            com.fasterxml.jackson.databind.DatabindException.class,
            com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class,
            com.fasterxml.jackson.databind.exc.InvalidNullException.class,
            com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
            com.fasterxml.jackson.databind.exc.ValueInstantiationException.class,
            com.fasterxml.jackson.databind.exc.InvalidTypeIdException.class,
            com.fasterxml.jackson.databind.exc.InvalidDefinitionException.class,
            io.defensebuilders.platform.web.StrictJson.Refused.class })
    public Response badJson(JsonProcessingException e, ContainerRequestContext request, UriInfo uri) {
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidDefinitionException) {
            return unexpected(e, request, uri); // a type the service cannot read or write: its own bug, not input
        }
        return respond(JsonProblems.of(e).toProblem(), request, uri);
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, ContainerRequestContext request, UriInfo uri) {
        Problem p = new ProblemException(ProblemType.UNAUTHORIZED,
                "a valid bearer token is required (missing, expired or not signed by a trusted key)").toProblem();
        return Response.fromResponse(respond(p, request, uri)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** The verifier could not reach the gateway's JWKS: not the caller's fault, and worth retrying. */
    @ServerExceptionMapper
    public Response verifierUnavailable(OIDCException e, ContainerRequestContext request, UriInfo uri) {
        LOG.warnf("token verification unavailable on %s (request %s): %s", uri.getPath(), RequestIds.of(request),
                e.getMessage());
        Problem p = new ProblemException(ProblemType.UNAVAILABLE,
                "tokens cannot be verified right now (the key set is unreachable); retry shortly").toProblem();
        return Response.fromResponse(respond(p, request, uri)).header(HttpHeaders.RETRY_AFTER, "5").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request, UriInfo uri) {
        return respond(new ProblemException(ProblemType.FORBIDDEN, "your roles do not allow this operation").toProblem(),
                request, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, ContainerRequestContext request, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // RESTEasy's reader wraps some parse errors (a duplicated key) in a bare 400: say what the parser found
            return badJson(json, request, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request, uri);
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = e instanceof NotFoundException ? "nothing at " + uri.getPath() : cleanMessage(e, type);
        Problem p = new ProblemException(status, type.slug(), type.title(), detail, null).toProblem();
        Response.ResponseBuilder out = Response.fromResponse(respond(p, request, uri));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            out.header(HttpHeaders.ALLOW, allow);
        }
        return out.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request, UriInfo uri) {
        var database = DatabaseFailures.unavailable(e);
        if (database.isPresent()) {
            // the database went away under a layer that wraps its failure (Hibernate, JDBC): the documented 503
            LOG.debugf("%s %s: the database cannot answer: %s", request.getMethod(), uri.getPath(), e);
            return respond(database.get().toProblem(), request, uri);
        }
        String requestId = RequestIds.of(request);
        LOG.errorf(e, "unexpected error on %s %s (request %s)", request.getMethod(), uri.getPath(), requestId);
        return respond(new ProblemException(ProblemType.INTERNAL,
                "an unexpected error occurred; quote request id " + requestId + " when reporting it").toProblem(),
                request, uri);
    }

    private static Response respond(Problem problem, ContainerRequestContext request, UriInfo uri) {
        Response.ResponseBuilder out = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.withInstance(uri.getPath(), RequestIds.of(request)));
        if (problem.retryAfter() != null) {
            out.header(HttpHeaders.RETRY_AFTER, problem.retryAfter());
        }
        return out.build();
    }

    private static String cleanMessage(WebApplicationException e, ProblemType type) {
        String message = e.getMessage();
        // JAX-RS default messages ("HTTP 405 Method Not Allowed") add nothing to the title, and the framework's own
        // (a parameter it could not convert, say) speak of Java types the client never sees
        return message == null || message.startsWith("HTTP ") || INTERNAL_WORDS.matcher(message).find() ? type.title()
                : message;
    }

    private static String fieldName(ConstraintViolation<?> v) {
        // "create.arg0.name" / "publish.request.version": the last node names the field
        String path = v.getPropertyPath().toString();
        int dot = path.indexOf('.');
        String withoutMethod = dot >= 0 ? path.substring(dot + 1) : path;
        int second = withoutMethod.indexOf('.');
        return second >= 0 ? withoutMethod.substring(second + 1) : withoutMethod;
    }
}
