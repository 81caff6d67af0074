package io.defensebuilders.testing.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;

/**
 * A plaintext gRPC channel to the service under test (its HTTP port: Quarkus serves gRPC there), opened before and
 * shut down after each test: {@code @RegisterExtension final GrpcTestChannel grpc = new GrpcTestChannel();}.
 */
public final class GrpcTestChannel implements BeforeEachCallback, AfterEachCallback {

    private ManagedChannel channel;

    @Override
    public void beforeEach(ExtensionContext context) {
        channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The open channel. */
    public Channel channel() {
        return channel;
    }

    /**
     * A stub that calls as {@code caller} (its internal JWT as the bearer token) and gives up after {@code deadline}.
     *
     * @param newStub the generated factory, e.g. {@code OrbitalGrpc::newBlockingStub}
     */
    public <S extends AbstractStub<S>> S as(TestClient caller, Function<Channel, S> newStub, Duration deadline) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + caller.token());
        return newStub.apply(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
