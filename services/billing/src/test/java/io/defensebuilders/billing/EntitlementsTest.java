package io.defensebuilders.billing;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.CheckResponse;
import io.defensebuilders.contracts.billing.v1.EntitlementsGrpc;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/** Entitlements.Check over gRPC (and its REST twin): plan limits, metered usage of the period, tenancy, bad input. */
@QuarkusTest
class EntitlementsTest {

    @Inject
    CloudEventCodec codec;

    @ConfigProperty(name = "dbp.billing.ingest.group-id")
    String group;

    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    private EntitlementsGrpc.EntitlementsBlockingStub as(Api caller) {
        return grpc.as(caller, EntitlementsGrpc::newBlockingStub, Duration.ofSeconds(10));
    }

    private static CheckRequest check(String feature, long quantity) {
        return CheckRequest.newBuilder().setFeature(feature).setQuantity(quantity).build();
    }

    @Test
    void aTenantWithoutSubscriptionIsOnTheFreePlanAndAPlanChangeRaisesItsLimits() {
        String tenant = TestClient.newTenant();
        var stub = as(Api.viewer(tenant));

        CheckResponse one = stub.check(check("environments.concurrent", 1));
        assertTrue(one.getAllowed());
        assertEquals("free", one.getPlan());
        assertEquals(1, one.getLimit());
        assertEquals(0, one.getRemaining());
        CheckResponse two = stub.check(check("environments.concurrent", 2));
        assertFalse(two.getAllowed());
        assertTrue(two.getReason().contains("allows 1"), two.getReason());
        assertEquals("basic", stub.check(check("api.rate-tier", 0)).getRateTier());
        assertFalse(one.getSubscribed());

        Api.admin(tenant).req().body(Map.of("plan", "pro")).post("/api/v1/billing/subscriptions").then().statusCode(201);
        CheckResponse pro = stub.check(check("environments.concurrent", 2));
        assertTrue(pro.getAllowed());
        assertEquals("pro", pro.getPlan());
        assertEquals(1, pro.getRemaining());
        assertEquals("standard", stub.check(check("api.rate-tier", 0)).getRateTier());
        assertTrue(pro.getSubscribed());
        // Pro sets no limit on API calls
        CheckResponse calls = stub.check(check("api.calls", 1_000_000));
        assertTrue(calls.getAllowed());
        assertTrue(calls.getUnlimited());
    }

    @Test
    void meteredFeaturesCountThisPeriodsUsage() {
        String tenant = TestClient.newTenant();
        List<CloudEvent<UsageV1>> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(UsageEvents.event(tenant, "api.call", "1", Instant.now(), Map.of("route", "orbital")));
        }
        new UsageEvents(codec).send(Topics.USAGE_V1, events).awaitConsumed(group);

        CheckResponse r = as(Api.viewer(tenant)).check(check("api.calls", 3));
        assertTrue(r.getAllowed());
        assertEquals(7, r.getUsed());
        assertEquals(10_000, r.getLimit());
        assertEquals(10_000 - 7 - 3, r.getRemaining());
        CheckResponse over = as(Api.viewer(tenant)).check(check("api.calls", 10_000 - 7 + 1));
        assertFalse(over.getAllowed());

        // the REST twin answers the same
        Api.viewer(tenant).req().get("/api/v1/billing/entitlements/api.calls?quantity=3").then().statusCode(200)
                .body("allowed", equalTo(true)).body("used", equalTo(7)).body("remaining", equalTo(10_000 - 10));
    }

    @Test
    void aLimitNearAndReachedIsAnnouncedOnceEachOnBillingV1() {
        String tenant = TestClient.newTenant();
        // below 80 %, and a refused ask (it uses nothing): no warning
        assertTrue(as(Api.viewer(tenant)).check(check("api.calls", 7_999)).getAllowed());
        assertFalse(as(Api.viewer(tenant)).check(check("api.calls", 10_001)).getAllowed());
        // 80 % of 10,000, asked three times: one warning; then the whole limit: one more
        for (int i = 0; i < 3; i++) {
            assertTrue(as(Api.viewer(tenant)).check(check("api.calls", 8_000)).getAllowed());
        }
        assertTrue(as(Api.viewer(tenant)).check(check("api.calls", 10_000)).getAllowed());
        var records = io.defensebuilders.testing.kafka.TopicReader.await(Topics.BILLING_V1,
                r -> r.value().contains("\"tenant\":\"" + tenant + "\""), 3, java.time.Duration.ofSeconds(15));
        assertEquals(2, records.size(), records.toString());
        var near = new io.restassured.path.json.JsonPath(records.get(0).value());
        assertEquals("io.defensebuilders.billing.v1.limit.near", near.getString("type"));
        assertEquals(80, near.getInt("data.percent"));
        assertEquals("api.calls", near.getString("data.feature"));
        assertEquals(10_000, near.getLong("data.limit"));
        assertEquals(8_000, near.getLong("data.used"));
        assertEquals(100, new io.restassured.path.json.JsonPath(records.get(1).value()).getInt("data.percent"));
    }

    @Test
    void anotherTenantBadInputAndNoTokenAreRefused() {
        String tenant = TestClient.newTenant();
        CheckRequest other = CheckRequest.newBuilder().setTenant(TestClient.newTenant()).setFeature("api.rate-tier").build();
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(Api.viewer(tenant)).check(other));
        assertEquals("free", as(Api.platformAdmin()).check(other).getPlan());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> as(Api.viewer(tenant)).check(check("teleportation", 1)));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> as(Api.viewer(tenant)).check(check("api.calls", -1)));
        assertCode(Status.Code.UNAUTHENTICATED, () -> EntitlementsGrpc.newBlockingStub(grpc.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS).check(check("api.calls", 1)));
        Api.viewer(tenant).req().get("/api/v1/billing/entitlements/teleportation").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static void assertCode(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
    }
}
