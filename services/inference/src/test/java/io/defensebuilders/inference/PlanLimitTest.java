package io.defensebuilders.inference;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.InferTensorContents;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The plan's {@code inferenceCallsPerMonth}, asked of billing's {@code Entitlements.Check} ({@link FakeBilling}: a
 * plan of 3 calls for {@code capped-*} tenants): the calls billing says remain are served, the next is a 429 (gRPC
 * RESOURCE_EXHAUSTED) naming the plan, one question to billing serves many calls, and billing is asked again when
 * the grant expires (2 s in tests). When billing does not answer, calls are served (fail-open).
 */
@QuarkusTest
class PlanLimitTest {

    private static final String ROW = "{\"inputs\":[{\"name\":\"X\",\"shape\":[1,3],\"datatype\":\"FP32\","
            + "\"data\":[1,2,3]}]}";
    private static String uploaded;

    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    /** A public model of the platform's, uploaded once (in a test: the application is up by then). */
    private static synchronized String model() {
        if (uploaded == null) {
            uploaded = TestClient.unique("planned");
            Api.platformAdmin().upload(uploaded, "1", OnnxModels.linear(new float[][] { { 1 }, { 1 }, { 1 } },
                    new float[] { 0 }), "visibility", "public").then().statusCode(201);
        }
        return uploaded;
    }

    @Test
    void callsBeyondThePlanAreRefusedUntilBillingAllowsMore() {
        String tenant = "capped-" + TestClient.newTenant();
        FakeBilling.USED.put(tenant, 1L);
        Api bob = Api.viewer(tenant);
        String model = model();
        // a malformed call is refused before it counts
        bob.infer(model, ROW.replace("FP32", "INT64")).then().statusCode(400);
        bob.infer(model, ROW).then().statusCode(200);
        bob.infer(model, ROW).then().statusCode(200);
        bob.infer(model, ROW).then().statusCode(429)
                .body("error", containsString("free plan allows 3 inference calls a month"));
        assertEquals(1, FakeBilling.checks(tenant), "one answer from billing served every call of its grant");

        // until the grant expires the tenant is refused without asking billing; then billing is asked again, and
        // its answer stands (here: a new billing period, nothing used)
        FakeBilling.USED.put(tenant, 0L);
        await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> bob.infer(model, ROW).statusCode() == 200);
        assertEquals(2, FakeBilling.checks(tenant), "billing asked again once, when the grant expired");
    }

    @Test
    void overGrpcTheRefusalIsResourceExhausted() {
        String tenant = "capped-" + TestClient.newTenant();
        FakeBilling.USED.put(tenant, 3L);
        String model = model();
        var stub = grpc.as(Api.viewer(tenant), GRPCInferenceServiceGrpc::newBlockingStub, Duration.ofSeconds(20));
        ModelInferRequest call = ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(1).addShape(3).setContents(InferTensorContents.newBuilder()
                                .addAllFp32Contents(List.of(1f, 2f, 3f))))
                .build();
        var refused = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(call));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        FakeBilling.USED.put(tenant, 0L);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> stub.modelInfer(call).getOutputsCount() == 1);
    }

    @Test
    void whenBillingDoesNotAnswerCallsAreServedAndBillingIsNotAskedOnEachCall() {
        String tenant = "billingdown-" + TestClient.newTenant();
        Api carol = Api.viewer(tenant);
        String model = model();
        for (int i = 0; i < 5; i++) {
            carol.infer(model, ROW).then().statusCode(200);
        }
        assertEquals(1, FakeBilling.checks(tenant), "the failed question stands for the grant's time");
    }
}
