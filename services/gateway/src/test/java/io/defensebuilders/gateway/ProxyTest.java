package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.defensebuilders.gateway.support.StubUpstreamResource;
import io.defensebuilders.testing.http.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** What the proxy does to a request on its way through, and what it answers when the upstream cannot. */
@QuarkusTest
class ProxyTest {

    private String tenant;
    private String key;

    @BeforeEach
    void setUp() {
        tenant = Gw.newTenant("enterprise");
        key = Gw.key(tenant, "publisher");
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    @Test
    void forwardsAVerifiableInternalJwtAndNoPublicCredential() throws Exception {
        var echo = given().header("Authorization", "Bearer " + key).header("Cookie", "session=secret")
                .header("X-DBP-Tenant", "other").header("X-Request-Id", "req-12345")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .get("/api/v1/stub/echo?x=1").then().statusCode(200).header("X-Request-Id", "req-12345").extract();
        assertNull(echo.path("headers.cookie"));
        assertNull(echo.path("headers.'x-dbp-tenant'"));
        assertNull(echo.path("headers.'x-api-key'"));
        assertEquals("req-12345", echo.path("headers.'x-request-id'"));
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", echo.path("headers.traceparent"));
        assertEquals("/api/v1/stub/echo?x=1", echo.path("path"));
        String jwt = ((String) echo.path("headers.authorization")).substring("Bearer ".length());

        HttpsJwks jwks = new HttpsJwks(base() + "/.well-known/jwks.json");
        JwtConsumer consumer = new JwtConsumerBuilder().setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .setExpectedIssuer("https://gateway.defensebuilders.internal").setExpectedAudience("dbp-services")
                .setRequireExpirationTime().setRequireSubject().build();
        var claims = consumer.processToClaims(jwt);
        assertEquals(tenant, claims.getClaimValueAsString("tenant"));
        assertEquals("key:" + key.split("_")[1], claims.getSubject());
        assertEquals("req-12345", claims.getClaimValueAsString("rid"));
        assertEquals(List.of("builder", "publisher", "viewer"), claims.getStringListClaimValue("roles"));
        assertEquals(60, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertEquals("ES256", Jwt.header(jwt).get("alg"));
    }

    @Test
    void anOpenPathTakesSignedDeliveriesWithoutACredentialAndForwardsNone() {
        // a webhook sender has no API key: its signature is the receiver's to check
        var echo = given().header("Authorization", "Bearer not-a-platform-credential").header("Cookie", "s=1")
                .body("{}").post("/api/v1/stub/hooks/echo").then().statusCode(200).extract();
        assertEquals("POST", echo.path("method"));
        assertNull(echo.path("headers.authorization"), "no internal token, and not the caller's header either");
        assertNull(echo.path("headers.cookie"));
        // only the open prefix itself: its siblings, a longer name and a dot-segment way out still need a credential
        given().get("/api/v1/stub/echo").then().statusCode(401);
        given().get("/api/v1/stub/hooksecho").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/api/v1/stub/hooks/../echo").then().statusCode(401);
    }

    @Test
    void anUploadSlowerThanTheRouteTimeoutIsNotCutOff() throws Exception {
        // the stub route's timeout is 1 s; this body takes about 2 s to arrive, then the stub answers at once
        InputStream slow = new InputStream() {
            int chunks = 5;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (chunks == 0) {
                    return -1;
                }
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                chunks--;
                b[off] = 'x';
                return 1;
            }
        };
        HttpResponse<String> up = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/stub/upload"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> slow), 5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        assertTrue(up.body().contains("\"bytes\":5"), up.body());
    }

    @Test
    void streamsLargeUploadsAndDownloads() throws Exception {
        long size = 64L * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        InputStream body = new InputStream() {
            long left = size;
            final java.util.Random random = new java.util.Random(7);

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                sent.update(chunk);
                left -= n;
                return n;
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/stub/upload"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        assertTrue(up.body().contains("\"bytes\":" + size), up.body());
        assertTrue(up.body().contains(HexFormat.of().formatHex(sent.digest())), up.body());

        HttpResponse<InputStream> down = http
                .send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/stub/download?size=" + size))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        long received = 0;
        try (InputStream in = down.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) != -1) {
                received += n;
            }
        }
        assertEquals(size, received);
    }

    @Test
    void answersProblemsWhenTheUpstreamCannot() {
        long start = System.nanoTime();
        Gw.as(key).get("/api/v1/down/anything").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("detail", containsString("cannot be reached"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "a down service must answer quickly");

        Gw.as(key).get("/api/v1/stub/slow?ms=3000").then().statusCode(504).contentType("application/problem+json")
                .time(lessThan(2500L));
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
    }

    @Test
    void aCallGoesToTheNextReplicaWhenOneCannotBeReached() throws Exception {
        // every other call is first sent to the replica that is down; none may fail, bodies included, and the breaker
        // (3 failures) must not open: a replica that is down is not a service that is down
        byte[] body = new byte[100_000];
        new java.util.Random(7).nextBytes(body);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        for (int i = 0; i < 10; i++) {
            Gw.as(key).get("/api/v1/replicated/echo").then().statusCode(200).body("method", equalTo("GET"));
            Gw.as(key).contentType("application/octet-stream").body(body).post("/api/v1/replicated/upload").then()
                    .statusCode(200).body("bytes", equalTo(body.length)).body("sha256", equalTo(sha));
        }
    }

    @Test
    void callsGoOnlyToReplicasThatSayTheyAreReady() throws Exception {
        List<Integer> replicas = StubUpstreamResource.rotatingReplicas();
        int first = replicas.get(0);
        int second = replicas.get(1);
        try {
            assertEquals(java.util.Set.of(first, second), answeredBy(20), "both replicas take calls");
            StubUpstreamResource.ready(first, false);
            awaitAnsweredBy(java.util.Set.of(second), "a replica that is not ready gets no call");
            StubUpstreamResource.ready(second, false);
            awaitAnsweredBy(java.util.Set.of(first, second), "none ready: calls go to all, as before");
            StubUpstreamResource.ready(first, true);
            awaitAnsweredBy(java.util.Set.of(first), "only the ready one");
        } finally {
            StubUpstreamResource.ready(first, true);
            StubUpstreamResource.ready(second, true);
        }
        awaitAnsweredBy(java.util.Set.of(first, second), "back in the rotation once ready");
    }

    /**
     * Waits until 20 calls in a row are answered by exactly {@code replicas}: the gateway asks the replicas every
     * 100 ms, and the 20 calls of a try take their own time on top of that.
     */
    private void awaitAnsweredBy(java.util.Set<Integer> replicas, String what) {
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals(replicas, answeredBy(20), what));
    }

    /** The replicas (by port) that answered {@code calls} calls to /api/v1/rotating. */
    private java.util.Set<Integer> answeredBy(int calls) {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (int i = 0; i < calls; i++) {
            ports.add(Integer.parseInt(Gw.as(key).get("/api/v1/rotating/whoami").then().statusCode(200).extract().asString()));
        }
        return ports;
    }

    @Test
    void aSafeCallWhoseConnectionClosesUnderItIsSentOnceMore() {
        String once = java.util.UUID.randomUUID().toString();
        Gw.as(key).get("/api/v1/stub/hangup?key=" + once).then().statusCode(200).body("attempts", equalTo(2));
        Gw.as(key).head("/api/v1/stub/hangup?key=" + once + "-head").then().statusCode(200);
        Gw.as(key).get("/api/v1/stub/attempts?key=" + once + "-head").then().body("attempts", equalTo(2));

        // closed every time: sent twice, no more, then the 503 of a service that cannot be reached
        String always = java.util.UUID.randomUUID().toString();
        Gw.as(key).get("/api/v1/stub/hangup?times=100&key=" + always).then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", "5")
                .body("detail", containsString("cannot be reached"));
        Gw.as(key).get("/api/v1/stub/attempts?key=" + always).then().body("attempts", equalTo(2));

        // a call that may have been acted on is never repeated by the gateway, with a body or without
        for (String method : List.of("POST", "DELETE", "PUT")) {
            String unsafe = java.util.UUID.randomUUID().toString();
            Gw.as(key).contentType("application/json").body("{}").request(method, "/api/v1/stub/hangup?key=" + unsafe)
                    .then().statusCode(503).contentType("application/problem+json");
            Gw.as(key).get("/api/v1/stub/attempts?key=" + unsafe).then().body("attempts", equalTo(1));
        }
        String bodyless = java.util.UUID.randomUUID().toString();
        Gw.as(key).delete("/api/v1/stub/hangup?key=" + bodyless).then().statusCode(503);
        Gw.as(key).get("/api/v1/stub/attempts?key=" + bodyless).then().body("attempts", equalTo(1));
    }

    @Test
    void circuitBreakerOpensWhenTheServiceIsUnavailable() {
        for (int i = 0; i < 3; i++) {
            Gw.as(key).get("/api/v1/flaky/unavailable").then().statusCode(503).body(equalTo("down for maintenance"));
        }
        long start = System.nanoTime();
        Gw.as(key).get("/api/v1/flaky/echo").then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("recover"));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500));
        // the other routes keep working
        Gw.as(key).get("/api/v1/stub/echo").then().statusCode(200);
    }

    @Test
    void answersWhatTheFrameworkWouldAnswerItsOwnWayAsProblems() throws Exception {
        // no Host header: a 400 problem, not the framework's error page with an error id and a stack field
        RawHttp.Answer noHost = Gw.raw("127.0.0.1", "GET", "/api/v1/tenants", null, "Authorization", "Bearer " + key);
        assertEquals(400, noHost.status(), noHost.text());
        assertTrue(noHost.header("content-type").startsWith("application/problem+json")
                && noHost.text().contains("Host header"), noHost.text());
        assertTrue(!noHost.text().contains("stack") && !noHost.text().contains("Error id"), noHost.text());
        // health and metrics are not on the public port
        given().get("/q/metrics").then().statusCode(404).contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(404).contentType("application/problem+json");
        // a path with NUL or a bad escape into the gateway's own API: 400 problems naming the path
        Gw.as(key).urlEncodingEnabled(false).get("/api/v1/tenants/a%00b").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("id"));
    }

    @Test
    void whatUsersTypeUnencodedInATargetReachesTheServiceEncoded() throws Exception {
        // curl sends ^ | [ ] as typed; java.net.URI refuses them (Quarkus' own check: an empty 400)
        RawHttp.Answer typed = Gw.raw("127.0.0.1", "GET", "/api/v1/stub/echo?range=^1&f[a]=1|2&pct=100%", null,
                "Host", "localhost", "Authorization", "Bearer " + key);
        assertEquals(200, typed.status(), typed.text());
        assertTrue(typed.text().contains("\"path\":\"/api/v1/stub/echo?range=%5E1&f%5Ba%5D=1%7C2&pct=100%25\""),
                typed.text());
        // what is escaped already stays as it is
        RawHttp.Answer escaped = Gw.raw("127.0.0.1", "GET", "/api/v1/stub/echo?range=%5E1", null, "Host", "localhost",
                "Authorization", "Bearer " + key);
        assertTrue(escaped.text().contains("\"path\":\"/api/v1/stub/echo?range=%5E1\""), escaped.text());
        // and the gateway's own API reads the parameter decoded: a tenant id with a caret is simply not found
        RawHttp.Answer own = Gw.raw("127.0.0.1", "GET", "/api/v1/tenants/a^b", null, "Host", "localhost",
                "Authorization", "Bearer " + key);
        assertTrue(own.status() == 400 || own.status() == 404, own.status() + " " + own.text());
        assertTrue(own.header("content-type").startsWith("application/problem+json"), own.text());
    }

    @Test
    void aBodyThatStopsArrivingIsTimedOut() throws Exception {
        // test profile: dbp.http.body-idle-timeout=2s
        for (String path : List.of("/api/v1/stub/upload", "/api/v1/api-keys")) {
            long start = System.nanoTime();
            RawHttp.Answer shortBody = Gw.raw("127.0.0.1", "POST", path, "{\"name\":".getBytes(StandardCharsets.UTF_8),
                    "Host", "localhost", "Authorization", "Bearer " + key, "Content-Type", "application/json",
                    "Content-Length", "100");
            assertEquals(408, shortBody.status(), shortBody.text());
            assertTrue(shortBody.header("content-type").startsWith("application/problem+json"), shortBody.text());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "timed out in time");
            RawHttp.Answer unfinished = Gw.raw("127.0.0.1", "POST", path, Gw.unfinishedChunks(64 * 1024), "Host",
                    "localhost", "Authorization", "Bearer " + key, "Content-Type", "application/json",
                    "Transfer-Encoding", "chunked");
            assertEquals(408, unfinished.status(), unfinished.text());
        }
    }

    @Test
    void noCallerCanOpenTheBreakerWithRequestsTheServiceFailsOn() {
        String viewer = Gw.key(Gw.newTenant("enterprise"), "viewer");
        for (int i = 0; i < 10; i++) {
            Gw.as(viewer).get("/api/v1/sturdy/fail").then().statusCode(500).body(equalTo("boom"));
            Gw.as(viewer).get("/api/v1/sturdy/missing").then().statusCode(404);
        }
        // another tenant is served as ever
        Gw.as(key).get("/api/v1/sturdy/echo").then().statusCode(200);
    }

    @Test
    void aBodyOverTheServicesLimitIs413FromTheGateway() throws Exception {
        String viewer = Gw.key(Gw.newTenant("enterprise"), "viewer");
        long twentyMb = 20L * 1024 * 1024;
        for (int i = 0; i < 4; i++) {
            // declared: refused before a byte of the body is read or forwarded
            RawHttp.Answer declared = Gw.raw("127.0.0.1", "POST", "/api/v1/sturdy/upload", null, "Host", "localhost",
                    "Authorization", "Bearer " + viewer, "Content-Type", "application/octet-stream",
                    "Content-Length", Long.toString(twentyMb));
            assertEquals(413, declared.status(), declared.text());
            assertTrue(declared.header("content-type").startsWith("application/problem+json")
                    && declared.text().contains("\"limitBytes\":1048576"), declared.text());
            // chunked, of no declared length: stopped once it passes the limit
            RawHttp.Answer chunked = Gw.raw("127.0.0.1", "POST", "/api/v1/sturdy/upload",
                    Gw.unfinishedChunks(3 * 1024 * 1024), "Host", "localhost", "Authorization", "Bearer " + viewer,
                    "Content-Type", "application/octet-stream", "Transfer-Encoding", "chunked");
            assertEquals(413, chunked.status(), chunked.text());
            assertTrue(chunked.header("content-type").startsWith("application/problem+json"), chunked.text());
        }
        // neither was the service's failure: the breaker (3) stays closed, and a body within the limit goes through
        Gw.as(key).body("x".repeat(1000)).post("/api/v1/sturdy/upload").then().statusCode(200).body("bytes", equalTo(1000));
    }

    @Test
    void passesWebSocketsThrough() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            var client = vertx.createHttpClient();
            var options = new io.vertx.core.http.WebSocketConnectOptions().setHost("localhost").setPort(RestAssured.port)
                    .setURI("/api/v1/stub/ws").addHeader("Authorization", "Bearer " + key);
            CompletableFuture<String> reply = new CompletableFuture<>();
            var ws = client.webSocket(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ws.textMessageHandler(reply::complete);
            ws.writeTextMessage("ping over the gateway");
            assertEquals("ping over the gateway", reply.get(10, TimeUnit.SECONDS));
            ws.close();

            var anonymous = new io.vertx.core.http.WebSocketConnectOptions().setHost("localhost").setPort(RestAssured.port)
                    .setURI("/api/v1/stub/ws");
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.webSocket(anonymous).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(String.valueOf(refused.getCause()).contains("401"), String.valueOf(refused.getCause()));
        } finally {
            vertx.close();
        }
    }

    @Test
    void badPathsAndHeadersGet4xx() {
        Gw.as(key).get("/api/v1/stub/%zz").then().statusCode(lessThan(500));
        Gw.as(key).urlEncodingEnabled(false).get("/api/v1/stub/..%2F..%2Fapi/v1/tenants").then().statusCode(lessThan(500));
        Gw.as(key).header("X-Huge", "x".repeat(40_000)).get("/api/v1/stub/echo").then().statusCode(431)
                .contentType("application/problem+json");
        Gw.as(key).get("/api/v1/stub/" + "x".repeat(9_000)).then().statusCode(414).contentType("application/problem+json");
        Gw.as(key).get("/api/v1/nothing-routed-here").then().statusCode(404).contentType("application/problem+json");
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys[0].kty", equalTo("EC"))
                .body("keys[0].d", nullValue());
    }
}
