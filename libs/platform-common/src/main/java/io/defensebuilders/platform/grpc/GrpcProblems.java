package io.defensebuilders.platform.grpc;

import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.DatabaseFailures;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;

/** The gRPC status for a problem: what REST answers as problem+json, gRPC answers with the matching code. */
public final class GrpcProblems {

    private GrpcProblems() {
    }

    /**
     * A gRPC answer whose failures carry the matching status: problems by their HTTP status (a
     * database that cannot answer, however wrapped, UNAVAILABLE), bad tokens UNAUTHENTICATED.
     */
    public static <T> Uni<T> answer(Uni<T> answer) {
        return answer.onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> DatabaseFailures.unavailable(e).<Throwable> map(u -> u).orElse(e))
                .onFailure(ProblemException.class).transform(e -> toStatus((ProblemException) e))
                .onFailure(AuthenticationFailedException.class)
                .transform(e -> Status.UNAUTHENTICATED.withDescription("invalid bearer token").asRuntimeException());
    }

    public static StatusRuntimeException toStatus(ProblemException e) {
        return Status.fromCode(codeOf(e.status())).withDescription(e.getMessage()).asRuntimeException();
    }

    /** The gRPC code for what REST answers with HTTP status {@code httpStatus}. */
    public static Status.Code codeOf(int httpStatus) {
        return switch (httpStatus) {
            case 400, 422 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            case 409 -> Status.Code.ALREADY_EXISTS;
            case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 503 -> Status.Code.UNAVAILABLE;
            case 504 -> Status.Code.DEADLINE_EXCEEDED;
            default -> Status.Code.INTERNAL;
        };
    }

    /**
     * The HTTP status a gRPC code stands for, as google.rpc.Code documents it: for logs, metrics and usage events that
     * count calls of both kinds by HTTP status.
     */
    public static int httpStatusOf(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }
}
