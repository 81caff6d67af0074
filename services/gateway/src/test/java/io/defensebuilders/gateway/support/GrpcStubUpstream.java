package io.defensebuilders.gateway.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.defensebuilders.testing.grpc.GrpcTestServer;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;

/**
 * A gRPC service of its own ({@code dbp.test.Echo}, messages as raw bytes, a grpc-java server on plaintext HTTP/2), to
 * test what the gateway's relay does with calls whatever the service: {@code Echo} answers with the message it was
 * sent, and headers with the tenant of the internal token it was given and whether an API key reached it, and a
 * trailer of its own; {@code Missing} is NOT_FOUND with a message beyond ASCII; {@code Slow} never answers, and tells
 * when its cancellation arrives.
 */
public final class GrpcStubUpstream {

    public static final String SERVICE = "dbp.test.Echo";
    public static final Metadata.Key<String> TENANT = Metadata.Key.of("x-stub-tenant", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> KEY_SEEN = Metadata.Key.of("x-stub-key-seen",
            Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> TRAILER = Metadata.Key.of("x-stub-trailer", Metadata.ASCII_STRING_MARSHALLER);
    public static final String MISSING_MESSAGE = "model 'missing' is not known — ни одной версии";
    /** Messages as they are, both ways. */
    public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static GrpcTestServer server;
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static volatile CountDownLatch cancelled = new CountDownLatch(1);

    private GrpcStubUpstream() {
    }

    /** The unary method {@code name} of {@link #SERVICE}, or of any other service ({@code service/method}). */
    public static MethodDescriptor<byte[], byte[]> method(String name) {
        return MethodDescriptor.<byte[], byte[]> newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(name.contains("/") ? name : SERVICE + "/" + name).setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES).build();
    }

    /** Starts the stub once; its port. */
    static synchronized int start() {
        if (server == null) {
            ServerServiceDefinition echo = ServerServiceDefinition.builder(SERVICE)
                    .addMethod(method("Echo"), ServerCalls.asyncUnaryCall((request, answer) -> {
                        CALLS.incrementAndGet();
                        answer.onNext(request);
                        answer.onCompleted();
                    }))
                    .addMethod(method("Missing"), ServerCalls.<byte[], byte[]> asyncUnaryCall((request, answer) -> {
                        CALLS.incrementAndGet();
                        answer.onError(Status.NOT_FOUND.withDescription(MISSING_MESSAGE).asRuntimeException());
                    }))
                    .addMethod(method("Slow"), ServerCalls.<byte[], byte[]> asyncUnaryCall((request, answer) -> {
                        CALLS.incrementAndGet();
                        ((ServerCallStreamObserver<byte[]>) answer).setOnCancelHandler(cancelled::countDown);
                    }))
                    .build();
            // what the stub saw, in its answer's headers, and a trailer of its own
            ServerInterceptor marks = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                        ServerCallHandler<Q, R> next) {
                    String authorization = String.valueOf(metadata.get(Metadata.Key.of("authorization",
                            Metadata.ASCII_STRING_MARSHALLER)));
                    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<Q, R>(call) {
                        @Override
                        public void sendHeaders(Metadata headers) {
                            headers.put(TENANT, GrpcTestServer.tenantOf(authorization));
                            headers.put(KEY_SEEN, Boolean.toString(authorization.contains("dbp_")));
                            super.sendHeaders(headers);
                        }

                        @Override
                        public void close(Status status, Metadata trailers) {
                            trailers.put(TRAILER, "after-the-answer");
                            super.close(status, trailers);
                        }
                    }, metadata);
                }
            };
            server = GrpcTestServer.start(() -> ServerInterceptors.intercept(echo, marks));
        }
        return server.port();
    }

    /** Calls that reached the stub so far. */
    public static int calls() {
        return CALLS.get();
    }

    /** A latch counted down when the next cancelled {@code Slow} call's cancellation reaches the stub. */
    public static CountDownLatch nextCancellation() {
        cancelled = new CountDownLatch(1);
        return cancelled;
    }
}
