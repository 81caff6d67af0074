package io.defensebuilders.registry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.defensebuilders.contracts.registry.v1.ResolveSdkRequest;
import io.defensebuilders.contracts.registry.v1.ResolveSdkResponse;
import io.defensebuilders.contracts.registry.v1.SdkRegistryGrpc;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** Resolution of npm-style ranges and dist-tags, over gRPC ResolveSdk and its REST twin. */
@QuarkusTest
class ResolveTest {

    private final Api alice = Api.publisher(TestClient.newTenant());
    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();

    private SdkRegistryGrpc.SdkRegistryBlockingStub stub(Api caller) {
        return grpc.as(caller, SdkRegistryGrpc::newBlockingStub, Duration.ofSeconds(10));
    }

    private String resolve(Api caller, String sdk, String range) {
        return stub(caller).resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk).setRange(range).build()).getVersion();
    }

    private String sdkWithVersions(String visibility, String... versions) {
        String sdk = alice.createSdk(TestClient.unique("resolve"), visibility);
        for (String v : versions) {
            alice.publish(sdk, v);
        }
        return sdk;
    }

    @Test
    void resolvesNpmStyleRangesToTheHighestMatch() {
        String sdk = sdkWithVersions("public", "1.1.0", "1.2.0", "1.2.3", "1.2.9", "1.3.0", "1.10.1", "2.0.0",
                "2.1.0-beta.1", "3.0.0-rc.1");
        Api bob = Api.viewer(TestClient.newTenant());
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("^1.2", "1.10.1");
        expected.put("~1.2.3", "1.2.9");
        expected.put(">=1 <2", "1.10.1");
        expected.put("1.2.3", "1.2.3");
        expected.put("1.x", "1.10.1");
        expected.put("1.2.x || 2", "2.0.0");
        expected.put("1.1.0 - 1.2.5", "1.2.3");
        expected.put("*", "2.0.0");
        expected.put("", "2.0.0");
        expected.put("latest", "2.0.0");
        expected.put("^2.1.0-beta.0", "2.1.0-beta.1");
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), resolve(bob, sdk, e.getKey()), "range '" + e.getKey() + "'");
        }
        var full = stub(bob).resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk).setRange("^3.0.0-rc.0")
                .setIncludePrerelease(true).build());
        assertEquals("3.0.0-rc.1", full.getVersion());
        assertEquals(alice.tenant(), full.getOwnerTenant());
    }

    @Test
    void yankedVersionsAreHiddenFromRangesButFoundExactlyAndByTag() {
        String sdk = sdkWithVersions("public", "1.0.0", "1.1.0");
        alice.req().body(Map.of("version", "1.1.0")).put("/api/v1/sdks/" + sdk + "/dist-tags/stable").then()
                .statusCode(200);
        alice.req().body(Map.of("reason", "CVE")).post("/api/v1/sdks/" + sdk + "/versions/1.1.0/yank").then()
                .statusCode(200);
        assertEquals("1.0.0", resolve(alice, sdk, "^1"));
        ResolveSdkResponse exact = stub(alice)
                .resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk).setRange("1.1.0").build());
        assertEquals("1.1.0", exact.getVersion());
        assertTrue(exact.getYanked());
        assertEquals("1.1.0", resolve(alice, sdk, "stable"));
        alice.req().queryParam("range", "^1").get("/api/v1/sdks/" + sdk + "/resolve").then().statusCode(200)
                .body("version", equalTo("1.0.0"));
    }

    @Test
    void answersImageDigestTemplateAndIntegrity() {
        String sdk = alice.createSdk(TestClient.unique("runnable"), "public");
        String digest = "sha256:" + "ab".repeat(32);
        alice.req().body(Map.of("version", "1.0.0", "image", "ghcr.io/acme/tak-server", "imageDigest", digest,
                "environmentTemplate", Map.of("ports", List.of(Map.of("name", "https", "port", 8443, "protocol", "TCP")),
                        "env", Map.of("TAK_MODE", "sandbox"), "resources", Map.of("cpu", "500m", "memory", "1Gi"),
                        "readinessPath", "/health")))
                .post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(201);
        alice.req().contentType("application/gzip").body(new byte[] { 1, 2, 3 })
                .put("/api/v1/sdks/" + sdk + "/versions/1.0.0/artifact").then().statusCode(200);
        ResolveSdkResponse r = stub(alice).resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk).setRange("^1").build());
        assertEquals("ghcr.io/acme/tak-server", r.getImage());
        assertEquals(digest, r.getImageDigest());
        assertEquals(8443, r.getEnvironmentTemplate().getPorts(0).getPort());
        assertEquals("sandbox", r.getEnvironmentTemplate().getEnvMap().get("TAK_MODE"));
        assertEquals("1Gi", r.getEnvironmentTemplate().getResources().getMemory());
        assertEquals("/health", r.getEnvironmentTemplate().getReadinessPath());
        assertTrue(r.getIntegrity().startsWith("sha512-"), r.getIntegrity());
    }

    @Test
    void refusesImagesWithoutDigestAndBadTemplates() {
        String sdk = alice.createSdk(TestClient.unique("badimage"), "public");
        alice.req().body(Map.of("version", "1.0.0", "image", "ghcr.io/acme/x")).post("/api/v1/sdks/" + sdk + "/versions")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("imageDigest"));
        alice.req().body(Map.of("version", "1.0.0", "image", "ghcr.io/acme/x", "imageDigest", "sha256:short"))
                .post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(400);
        alice.req().body(Map.of("version", "1.0.0", "environmentTemplate", Map.of("ports",
                List.of(Map.of("name", "http", "port", 70000))))).post("/api/v1/sdks/" + sdk + "/versions").then()
                .statusCode(400).body("detail", containsString("port"));
    }

    @Test
    void privateSdksResolveOnlyForTheirTenant() {
        String sdk = sdkWithVersions("private", "1.0.0");
        assertEquals("1.0.0", resolve(alice, sdk, "^1"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> resolve(Api.viewer(TestClient.newTenant()), sdk, "^1"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        Api.viewer(TestClient.newTenant()).req().get("/api/v1/sdks/" + sdk + "/resolve").then().statusCode(404);
    }

    @Test
    void answersClearGrpcErrors() {
        String sdk = sdkWithVersions("public", "1.0.0", "2.0.0-beta.1");
        record Case(String name, String range, Status.Code code) {
        }
        for (Case c : List.of(new Case(sdk, "^3", Status.Code.NOT_FOUND),
                new Case(sdk, ">=1 <=garbage", Status.Code.INVALID_ARGUMENT),
                new Case(sdk, "nosuchtag", Status.Code.NOT_FOUND), new Case("Bad Name", "^1", Status.Code.INVALID_ARGUMENT),
                new Case(TestClient.unique("missing"), "^1", Status.Code.NOT_FOUND),
                new Case(sdk, "9.9.9", Status.Code.NOT_FOUND))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> resolve(alice, c.name(), c.range()),
                    c.toString());
            assertEquals(c.code(), e.getStatus().getCode(), c + ": " + e.getStatus());
        }
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
                () -> SdkRegistryGrpc.newBlockingStub(grpc.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
        Metadata forged = new Metadata();
        forged.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer "
                + io.defensebuilders.testing.quarkus.InternalJwtResource.issuer().token("t", "u", "viewer").signedByUnknownKey()
                        .sign());
        StatusRuntimeException forgedCall = assertThrows(StatusRuntimeException.class,
                () -> SdkRegistryGrpc.newBlockingStub(grpc.channel())
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(forged))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .resolveSdk(ResolveSdkRequest.newBuilder().setName(sdk).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, forgedCall.getStatus().getCode());
        alice.req().queryParam("range", "1.2.3.4.5").get("/api/v1/sdks/" + sdk + "/resolve").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Inject
    RedisDataSource redis;

    @Test
    void resolutionIndexIsCachedInRedisAndEvictedByWrites() {
        String sdk = sdkWithVersions("public", "1.0.0");
        String key = "dbp:sdk-registry:index:" + sdk;
        assertEquals("1.0.0", resolve(alice, sdk, "^1"));
        String cached = redis.value(String.class).get(key);
        assertTrue(cached != null && cached.contains("\"1.0.0\""), String.valueOf(cached));
        alice.publish(sdk, "1.1.0");
        assertEquals(null, redis.value(String.class).get(key));
        assertEquals("1.1.0", resolve(alice, sdk, "^1"));
        assertTrue(redis.value(String.class).get(key).contains("\"1.1.0\""));
    }

    @Test
    void resolutionSeesWritesImmediatelyDespiteTheCache() {
        String sdk = sdkWithVersions("public", "1.0.0");
        assertEquals("1.0.0", resolve(alice, sdk, "^1"));
        alice.publish(sdk, "1.5.0");
        assertEquals("1.5.0", resolve(alice, sdk, "^1"));
        alice.req().body(Map.of("reason", "bad")).post("/api/v1/sdks/" + sdk + "/versions/1.5.0/yank").then()
                .statusCode(200);
        assertEquals("1.0.0", resolve(alice, sdk, "^1"));
    }
}
