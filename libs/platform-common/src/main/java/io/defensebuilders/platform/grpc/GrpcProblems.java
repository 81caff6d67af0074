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
        Status status = switch (e.status()) {
            case 400, 422 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.ALREADY_EXISTS;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        return status.withDescription(e.getMessage()).asRuntimeException();
    }
}
