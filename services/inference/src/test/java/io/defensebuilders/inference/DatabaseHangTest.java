package io.defensebuilders.inference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.InferTensorContents;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.testing.AtOnce;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.infra.PostgresServer;
import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.OwnDatabaseProfile;
import io.defensebuilders.testing.quarkus.OwnPostgresResource;
import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A database that stops answering (SIGSTOP of every PostgreSQL process) while models are called: a call cannot be
 * metered (its usage event is written to the outbox before the answer leaves), so it is not served: REST answers 503
 * (the protocol's {@code {"error": ...}}) with Retry-After and gRPC UNAVAILABLE, within seconds rather than with the database;
 * readiness goes
 * DOWN, liveness stays UP, and calls are served again by themselves once it answers.
 */
@QuarkusTest
@TestProfile(DatabaseHangTest.Profile.class)
class DatabaseHangTest {

    /** The database hang tests' PostgreSQL of its own, with billing's entitlements on the gRPC double. */
    public static class Profile extends OwnDatabaseProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(FakeBilling.class));
            return resources;
        }
    }

    /** More calls at once than the pool has connections. */
    private static final int CALLS = 30;
    /** acquire-timeout 2 s / statement-timeout 5 s, plus scheduling on a busy machine. */
    private static final long BOUND_MILLIS = 7_500;
    private static final String BODY = "{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\","
            + "\"data\":[1,1,1]}]}";

    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    private record Answer(int status, String contentType, String retryAfter, String grpcCode, long millis) {
    }

    @Test
    void callsDuringAHungDatabaseAreRefusedWithinSecondsAndServedAgainAfter() throws Exception {
        Api alice = Api.builder(TestClient.newTenant());
        String model = OipRestTest.linear(alice);
        alice.infer(model, BODY).then().statusCode(200);
        var stub = grpc.as(alice, GRPCInferenceServiceGrpc::newBlockingStub, Duration.ofSeconds(30));
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32").addShape(1)
                        .addShape(3).setContents(InferTensorContents.newBuilder().addFp32Contents(1)
                                .addFp32Contents(1).addFp32Contents(1)))
                .build();
        stub.modelInfer(request);

        PostgresServer pg = OwnPostgresResource.server();
        pg.process().pause();
        try {
            List<Answer> answers = AtOnce.calls(CALLS, Duration.ofMillis(2 * BOUND_MILLIS), index -> {
                long start = System.nanoTime();
                if (index % 2 == 0) {
                    Response r = alice.infer(model, BODY);
                    return new Answer(r.statusCode(), r.contentType(), r.header("Retry-After"), null,
                            (System.nanoTime() - start) / 1_000_000);
                }
                try {
                    stub.modelInfer(request);
                    return new Answer(200, null, null, "OK", (System.nanoTime() - start) / 1_000_000);
                } catch (StatusRuntimeException e) {
                    return new Answer(0, null, null, e.getStatus().getCode() + ": " + e.getStatus().getDescription(),
                            (System.nanoTime() - start) / 1_000_000);
                }
            });
            for (Answer a : answers) {
                if (a.grpcCode() == null) {
                    // the protocol's error body ({"error": ...}), with the platform's Retry-After
                    assertEquals(503, a.status(), "REST while the database hangs: " + a);
                    assertEquals("application/json", a.contentType(), a.toString());
                    assertEquals("2", a.retryAfter(), "with Retry-After: " + a);
                } else {
                    assertTrue(a.grpcCode().startsWith(Status.Code.UNAVAILABLE.name()),
                            "gRPC while the database hangs: " + a);
                }
                assertTrue(a.millis() <= BOUND_MILLIS, "answered within " + BOUND_MILLIS + " ms: " + a);
            }
            await("readiness DOWN").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health("ready") == 503);
            assertEquals(200, health("live"), "liveness stays UP: a restart would not help");
        } finally {
            pg.process().resume();
        }
        await("served again").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> health("ready") == 200 && alice.infer(model, BODY).statusCode() == 200);
        stub.modelInfer(request);
    }

    private static int health(String which) {
        return given().port(ManagementPort.get()).get("/q/health/" + which).statusCode();
    }
}
