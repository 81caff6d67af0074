package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.defensebuilders.gateway.support.GrpcStubUpstream;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;

/**
 * gRPC through the gateway, with grpc-java on both sides (plaintext HTTP/2, as KServe's and Triton's clients speak to a
 * server without TLS) and a service of the tests' own behind it (GrpcStubUpstream): the same authentication,
 * credential swap and rate limits as REST calls; the service's messages, headers, trailers and status passed through;
 * a cancellation passed on; the gateway's own refusals as gRPC statuses. InferenceEndToEndTest calls the real inference
 * service this way.
 */
@QuarkusTest
class GrpcProxyTest {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    /** The channel with {@code key} as the bearer credential (none when null), and what the answer's metadata was. */
    private Channel as(String key, AtomicReference<Metadata> headers, AtomicReference<Metadata> trailers) {
        Metadata auth = new Metadata();
        if (key != null) {
            auth.put(AUTHORIZATION, "Bearer " + key);
        }
        return ClientInterceptors.intercept(grpc.channel(), MetadataUtils.newAttachHeadersInterceptor(auth),
                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    }

    private byte[] call(String key, String method, byte[] message, Duration deadline) {
        return call(as(key, new AtomicReference<>(), new AtomicReference<>()), method, message, deadline);
    }

    private static byte[] call(Channel channel, String method, byte[] message, Duration deadline) {
        return ClientCalls.blockingUnaryCall(channel, GrpcStubUpstream.method(method),
                CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), message);
    }

    private StatusRuntimeException refused(String key, String method) {
        return assertThrows(StatusRuntimeException.class,
                () -> call(key, method, new byte[] { 1 }, Duration.ofSeconds(10)));
    }

    @Test
    void aCallWithAnApiKeyReachesTheServiceAsItsCallerAndTheAnswerComesBackWhole() {
        String tenant = Gw.newTenant(null);
        String key = Gw.key(tenant, "viewer");
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        // larger than an HTTP/2 frame and than the stream's first flow-control window: it streams both ways
        byte[] message = new byte[200_000];
        new java.util.Random(7).nextBytes(message);
        byte[] answer = call(as(key, headers, trailers), "Echo", message, Duration.ofSeconds(10));

        assertArrayEquals(message, answer);
        assertEquals(tenant, headers.get().get(GrpcStubUpstream.TENANT),
                "the service was called as the key's tenant, by the gateway's internal token");
        assertEquals("false", headers.get().get(GrpcStubUpstream.KEY_SEEN), "the API key never reaches the service");
        assertEquals("after-the-answer", trailers.get().get(GrpcStubUpstream.TRAILER), "the service's trailers");
        assertTrue(headers.get().get(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER)) != null,
                "the gateway's request id, as on REST answers");
    }

    @Test
    void theServicesStatusAndMessageComeThroughUnchanged() {
        String key = Gw.key(Gw.newTenant(null), "viewer");
        double before = requests("4xx");
        StatusRuntimeException e = refused(key, "Missing");
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals(GrpcStubUpstream.MISSING_MESSAGE, e.getStatus().getDescription());
        // measured (and logged, and metered) by the HTTP status its gRPC status stands for
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> requests("4xx") == before + 1);
        // the latency SLO's threshold is a bucket of its own (deploy/prometheus: calls within 500 ms)
        String metrics = given().port(ManagementPort.get()).get("/q/metrics").asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("dbp_gateway_requests_seconds_bucket{")
                && l.contains("upstream=\"grpcstub\"") && l.contains("le=\"0.5\"")), "no le=0.5 bucket");
    }

    @Test
    void aCallWithoutAValidCredentialIsUnauthenticatedAndNeverReachesTheService() {
        int calls = GrpcStubUpstream.calls();
        StatusRuntimeException none = refused(null, "Echo");
        assertEquals(Status.Code.UNAUTHENTICATED, none.getStatus().getCode(), none.toString());
        StatusRuntimeException unknown = refused("dbp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Echo");
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.getStatus().getCode(), unknown.toString());
        assertTrue(unknown.getStatus().getDescription().contains("API key or bearer token"), unknown.toString());
        assertEquals(calls, GrpcStubUpstream.calls());
    }

    @Test
    void theTenantsRateLimitAppliesToItsGrpcCalls() {
        // the tiny plan's callers have a burst of 3 (the tests' application.properties)
        String key = Gw.key(Gw.newTenant("tiny"), "viewer");
        for (int i = 0; i < 3; i++) {
            call(key, "Echo", new byte[] { (byte) i }, Duration.ofSeconds(10));
        }
        StatusRuntimeException e = refused(key, "Echo");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
        assertTrue(e.getStatus().getDescription().contains("rate limit of plan 'tiny' reached"), e.toString());
    }

    @Test
    void aCallGivenUpByItsCallerIsCancelledAtTheService() throws InterruptedException {
        String key = Gw.key(Gw.newTenant(null), "viewer");
        CountDownLatch cancelled = GrpcStubUpstream.nextCancellation();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(key, "Slow", new byte[] { 1 }, Duration.ofMillis(500)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.toString());
        assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the service saw the call cancelled");
    }

    @Test
    void aServiceThatCannotBeReachedIsUnavailableAndOneThatDoesNotExistUnimplemented() {
        String key = Gw.key(Gw.newTenant(null), "viewer");
        StatusRuntimeException unreachable = refused(key, "dbp.test.Nowhere/Call");
        assertEquals(Status.Code.UNAVAILABLE, unreachable.getStatus().getCode(), unreachable.toString());
        assertTrue(unreachable.getStatus().getDescription().contains("cannot be reached"), unreachable.toString());
        StatusRuntimeException unknown = refused(key, "dbp.test.Unknown/Call");
        assertEquals(Status.Code.UNIMPLEMENTED, unknown.getStatus().getCode(), unknown.toString());
    }

    /** dbp.gateway.requests of the stub gRPC service answered with {@code statusClass}, from the metrics. */
    private static double requests(String statusClass) {
        String metrics = given().port(ManagementPort.get()).get("/q/metrics").asString();
        Matcher m = Pattern.compile("dbp_gateway_requests_seconds_count\\{[^}]*status=\"" + statusClass
                + "\",upstream=\"grpcstub\"[^}]*} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
