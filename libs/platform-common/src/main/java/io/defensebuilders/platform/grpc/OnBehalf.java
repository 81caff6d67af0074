package io.defensebuilders.platform.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** A gRPC call to another service on a caller's behalf: the caller's internal JWT as its bearer, and a deadline. */
public final class OnBehalf {

    /** The metadata key every service reads its bearer token from. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private OnBehalf() {
    }

    /** {@code stub} sending {@code authorization: Bearer <token>}, its call failing DEADLINE_EXCEEDED after {@code timeout}. */
    public static <S extends AbstractStub<S>> S of(S stub, String bearerToken, Duration timeout) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + bearerToken);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
