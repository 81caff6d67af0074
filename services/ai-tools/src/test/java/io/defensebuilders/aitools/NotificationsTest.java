package io.defensebuilders.aitools;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;

import io.defensebuilders.contracts.events.BillingV1;
import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.contracts.events.OrbitalCcdmV1;
import io.defensebuilders.contracts.events.OrbitalConjunctionsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.kafka.EventSender;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Platform events on Kafka to a tenant's receivers over real HTTP: what each channel gets, who gets what, the Standard
 * Webhooks signature checked by the specification's own library, retries, dead letters and replay, SSRF refusals.
 */
@QuarkusTest
class NotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Receiver RECEIVER = new Receiver();
    private static final String SUBSCRIPTIONS = "/api/v1/integrations/subscriptions";

    /** Sends platform events as their services do (structured CloudEvents). */
    static final class Events extends EventSender<Events> {
        Events send(String topic, String tenant, String source, String type, Map<String, Object> data) {
            ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
                    .put("source", source).put("type", type).put("time", Instant.now().toString())
                    .put("datacontenttype", "application/json").put("tenant", tenant);
            event.set("data", JSON.valueToTree(data));
            return sendRaw(topic, tenant, event.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    private static JsonPath subscribe(Api admin, String channel, String path, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "ops " + channel, "channel", channel, "url",
                RECEIVER.url(path)));
        body.putAll(extra);
        return admin.req().body(body).post(SUBSCRIPTIONS).then().statusCode(201).extract().jsonPath();
    }

    private static List<Receiver.Request> received(String path, int count) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> RECEIVER.requests().stream()
                .filter(r -> r.headers().containsKey("X-Path") || true).toList(),
                all -> all.stream()
                        .filter(r -> r.body().contains(path) || matches(r, path)).count() >= count)
                .stream().filter(r -> r.body().contains(path) || matches(r, path)).toList();
    }

    private static boolean matches(Receiver.Request r, String marker) {
        return r.body().contains(marker);
    }

    private static Map<String, Object> conjunction(String tenant, double probability, String marker) {
        return Map.ofEntries(Map.entry("tenant", tenant), Map.entry("screeningId", UUID.randomUUID().toString()),
                Map.entry("conjunctionId", UUID.randomUUID().toString()), Map.entry("primaryNoradId", 25544),
                Map.entry("primaryName", "ISS (ZARYA) " + marker), Map.entry("secondaryNoradId", 48274),
                Map.entry("secondaryName", "DEBRIS"), Map.entry("tca", "2026-12-08T10:00:00Z"),
                Map.entry("missDistanceKm", 0.412), Map.entry("relativeSpeedKmS", 9.1),
                Map.entry("probability", probability), Map.entry("occurredAt", Instant.now().toString()));
    }

    @Test
    void aWebhookGetsTheEventsItAskedForSignedPerStandardWebhooks() throws Exception {
        Api admin = Api.as(TestClient.newTenant(), "admin");
        String marker = UUID.randomUUID().toString();
        JsonPath sub = subscribe(admin, "webhook", "/hooks/" + marker, Map.of("events", List.of("conjunction.found"),
                "minProbability", 1e-4));
        String secret = sub.getString("secret");
        assertTrue(secret.startsWith("whsec_"));
        admin.req().get(SUBSCRIPTIONS + "/" + sub.getString("id")).then().statusCode(200).body("secret", nullValue())
                .body("targetHost", equalTo("127.0.0.1")).body("url", nullValue());

        new Events().send(Topics.ORBITAL_CONJUNCTIONS_V1, admin.tenant(), "/services/orbital",
                OrbitalConjunctionsV1.CONJUNCTION_FOUND, conjunction(admin.tenant(), 2.5e-3, marker + "-high"))
                .send(Topics.ORBITAL_CONJUNCTIONS_V1, admin.tenant(), "/services/orbital",
                        OrbitalConjunctionsV1.CONJUNCTION_FOUND, conjunction(admin.tenant(), 1e-7, marker + "-low"))
                .send(Topics.ORBITAL_CONJUNCTIONS_V1, "someone-else", "/services/orbital",
                        OrbitalConjunctionsV1.CONJUNCTION_FOUND, conjunction("someone-else", 0.5, marker + "-other"))
                .flush();

        Receiver.Request got = received(marker + "-high", 1).getFirst();
        // the reference library's verification: signature, id and timestamp as the specification defines them
        new Webhook(secret).verify(got.body(), got.headers());
        assertTrue(got.header("webhook-id").startsWith("msg_"));
        JsonPath body = new JsonPath(got.body());
        assertEquals("conjunction.found", body.getString("type"));
        assertEquals(2.5e-3, body.getDouble("data.probability"), 1e-12);
        assertEquals(25544, body.getInt("data.primaryNoradId"));
        // a tampered body does not verify
        assertTrue(failsToVerify(secret, got.body().replace("0.412", "9.412"), got.headers()));
        // below the subscription's probability, or another tenant's: nothing
        Thread.sleep(1500);
        assertFalse(RECEIVER.requests().stream().anyMatch(r -> r.body().contains(marker + "-low")
                || r.body().contains(marker + "-other")));
        admin.req().get(SUBSCRIPTIONS + "/" + sub.getString("id") + "/notifications").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].status", equalTo("delivered")).body("[0].lastStatus", equalTo(200));
    }

    private static boolean failsToVerify(String secret, String body, Map<String, List<String>> headers) {
        try {
            new Webhook(secret).verify(body, headers);
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void aFailingReceiverIsRetriedThenDeadLetteredAndReplayedWithTheSameId() {
        Api admin = Api.as(TestClient.newTenant(), "admin");
        String marker = UUID.randomUUID().toString();
        try (Receiver failing = new Receiver()) {
            failing.answer(503);
            String id = admin.req().body(Map.of("name", "flaky", "channel", "webhook", "url", failing.url("/f"),
                    "events", List.of("environment.failed"))).post(SUBSCRIPTIONS).then().statusCode(201).extract()
                    .path("id");
            new Events().send(Topics.ENVIRONMENTS_V1, admin.tenant(), "/services/environment-manager",
                    EnvironmentsV1.FAILED, Map.of("tenant", admin.tenant(), "environment", "env-" + marker, "uid", marker,
                            "owner", "u1", "phase", "Failed", "namespace", "dbp-env-x", "reason",
                            "sdk tak-server ^9 does not resolve", "occurredAt", Instant.now().toString()))
                    .flush();
            // three attempts (the test profile's), then a dead letter with the last answer
            JsonPath dead = await().atMost(Duration.ofSeconds(60)).until(() -> admin.req().get(SUBSCRIPTIONS + "/" + id
                    + "/notifications?status=dead").then().statusCode(200).extract().jsonPath(),
                    j -> j.getList("$").size() == 1);
            assertEquals(3, dead.getInt("[0].attempts"));
            assertEquals(503, dead.getInt("[0].lastStatus"));
            assertTrue(dead.getString("[0].lastError").contains("HTTP 503"), dead.getString("[0].lastError"));
            assertEquals(3, failing.requests().size());
            assertEquals(1, new HashSet<>(failing.requests().stream().map(r -> r.header("webhook-id")).toList()).size(),
                    "every attempt carries the same webhook-id");

            failing.answer(204);
            String notification = dead.getString("[0].id");
            admin.req().post(SUBSCRIPTIONS + "/" + id + "/notifications/" + notification + "/replay").then()
                    .statusCode(200).body("replayed", equalTo(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.req().get(SUBSCRIPTIONS + "/" + id
                    + "/notifications").then().extract().path("[0].status"), "delivered"::equals);
            // at least once: an answer that came too late is sent again, with the same id for the receiver to drop
            assertTrue(failing.requests().size() >= 4, failing.requests().toString());
            assertEquals(failing.requests().getFirst().header("webhook-id"), failing.requests().getLast()
                    .header("webhook-id"));
            assertTrue(failing.requests().getLast().body().contains("\"environment.failed\""));
            // replaying what is not dead is refused; nothing else of another tenant is reachable
            admin.req().post(SUBSCRIPTIONS + "/" + id + "/notifications/" + notification + "/replay").then()
                    .statusCode(409);
            Api other = Api.as(TestClient.newTenant(), "admin");
            other.req().get(SUBSCRIPTIONS + "/" + id).then().statusCode(404);
            other.req().get(SUBSCRIPTIONS + "/" + id + "/notifications").then().statusCode(404);
            other.req().post(SUBSCRIPTIONS + "/" + id + "/replay").then().statusCode(404);
            other.req().post(SUBSCRIPTIONS + "/" + id + "/notifications/" + notification + "/replay").then()
                    .statusCode(404);
            other.req().delete(SUBSCRIPTIONS + "/" + id).then().statusCode(404);
        }
    }

    @Test
    void slackAndTeamsGetTheirOwnFormatsAndFiltersApply() {
        Api admin = Api.as(TestClient.newTenant(), "admin");
        String marker = UUID.randomUUID().toString();
        subscribe(admin, "slack", "/slack/" + marker, Map.of("events", List.of("ccdm.changed"), "minThreatLevel",
                "MEDIUM", "noradIds", List.of(43013)));
        String teams = subscribe(admin, "teams", "/teams/" + marker, Map.of("events", List.of("environment.expiring",
                "environment.expired")))
                .getString("id");
        Map<String, Object> ccdm = new java.util.HashMap<>(Map.of("tenant", "another-tenant", "assessmentId",
                UUID.randomUUID().toString(), "objectId", "43013", "noradId", 43013, "objectName", "SAT " + marker,
                "epoch", Instant.now().toString(), "ccdmType", "MANEUVERING", "threatLevel", "HIGH", "confidence", 0.82,
                "previousThreatLevel", "LOW"));
        ccdm.put("occurredAt", Instant.now().toString());
        ccdm.put("indicators", List.of(Map.of("type", "UNEXPECTED_MANEUVER", "ccdmType", "MANEUVERING", "confidence",
                0.8, "summary", "3.1 m/s in-track burn")));
        Map<String, Object> low = new java.util.HashMap<>(ccdm);
        low.put("threatLevel", "LOW");
        low.put("objectName", "LOW " + marker);
        Map<String, Object> otherObject = new java.util.HashMap<>(ccdm);
        otherObject.put("noradId", 43014);
        otherObject.put("objectName", "OTHER " + marker);
        new Events()
                // the shared catalog's assessment of a named object reaches this tenant although another asked for it
                .send(Topics.ORBITAL_CCDM_V1, "another-tenant", "/services/orbital", OrbitalCcdmV1.ASSESSMENT_CHANGED,
                        ccdm)
                .send(Topics.ORBITAL_CCDM_V1, "another-tenant", "/services/orbital", OrbitalCcdmV1.ASSESSMENT_CHANGED,
                        low)
                .send(Topics.ORBITAL_CCDM_V1, "another-tenant", "/services/orbital", OrbitalCcdmV1.ASSESSMENT_CHANGED,
                        otherObject)
                // another tenant's private assessment of the same object does not
                .send(Topics.ORBITAL_CCDM_V1, "another-tenant", "/services/orbital/tenants/another-tenant",
                        OrbitalCcdmV1.ASSESSMENT_CHANGED, Map.of("tenant", "another-tenant", "assessmentId", "p-1",
                                "noradId", 43013, "objectName", "PRIVATE " + marker, "threatLevel", "CRITICAL",
                                "ccdmType", "DECEPTION", "confidence", 0.9, "occurredAt", Instant.now().toString()))
                .send(Topics.ENVIRONMENTS_V1, admin.tenant(), "/services/environment-manager", EnvironmentsV1.DELETED,
                        Map.of("tenant", admin.tenant(), "environment", "deleted-" + marker, "phase", "Deleting",
                                "reason", "deleted", "occurredAt", Instant.now().toString()))
                .send(Topics.ENVIRONMENTS_V1, admin.tenant(), "/services/environment-manager", EnvironmentsV1.DELETED,
                        Map.of("tenant", admin.tenant(), "environment", "expired-" + marker, "phase", "Deleting",
                                "reason", "the ttl of 8h ran out", "occurredAt", Instant.now().toString()))
                .send(Topics.ENVIRONMENTS_V1, admin.tenant(), "/services/environment-manager", EnvironmentsV1.EXPIRING,
                        Map.of("tenant", admin.tenant(), "environment", "expiring-" + marker, "phase", "Ready",
                                "reason", "the ttl of 8h runs out at 2026-12-07T18:00:00Z", "occurredAt",
                                Instant.now().toString()))
                .flush();

        JsonPath slack = new JsonPath(received("SAT " + marker, 1).getFirst().body());
        assertEquals("CCDM assessment changed", slack.getString("blocks[0].text.text"));
        assertTrue(slack.getString("blocks[1].text.text").contains("threat LOW -&gt; HIGH, MANEUVERING"),
                slack.getString("blocks[1].text.text"));
        assertTrue(slack.getString("text").startsWith("CCDM assessment changed: SAT " + marker));
        JsonPath card = new JsonPath(received("expired-" + marker, 1).getFirst().body());
        assertEquals("message", card.getString("type"));
        assertEquals("application/vnd.microsoft.card.adaptive", card.getString("attachments[0].contentType"));
        assertEquals("AdaptiveCard", card.getString("attachments[0].content.type"));
        assertTrue(card.getString("attachments[0].content.body[1].text").contains("the ttl of 8h ran out"));
        JsonPath soon = new JsonPath(received("expiring-" + marker, 1).getFirst().body());
        assertEquals("Environment expiring soon", soon.getString("attachments[0].content.body[0].text"), soon.prettify());
        assertTrue(soon.getString("attachments[0].content.body[1].text").contains("runs out at 2026-12-07T18:00:00Z"));
        // a test notification through the same channel
        admin.req().post(SUBSCRIPTIONS + "/" + teams + "/test").then().statusCode(202).body("type", equalTo("test"));
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.requests().stream().anyMatch(r -> r.body()
                .contains("A test notification for subscription 'ops teams'")));
        assertFalse(RECEIVER.requests().stream().anyMatch(r -> r.body().contains("LOW " + marker)
                || r.body().contains("OTHER " + marker) || r.body().contains("PRIVATE " + marker)
                || r.body().contains("deleted-" + marker)));
    }

    @Test
    void billingsInvoicesAndLimitsReachTheTenant() {
        Api admin = Api.as(TestClient.newTenant(), "admin");
        String marker = UUID.randomUUID().toString();
        subscribe(admin, "slack", "/billing/" + marker, Map.of("events", List.of("invoice.issued", "plan.limit-near")));
        new Events().send(Topics.BILLING_V1, admin.tenant(), "/services/billing", BillingV1.INVOICE_ISSUED,
                Map.of("tenant", admin.tenant(), "invoiceId", marker, "number", "INV-00000042", "periodStart",
                        "2026-11-01", "periodEnd", "2026-12-01", "currency", "USD", "total", 123.45, "occurredAt",
                        Instant.now().toString()))
                .send(Topics.BILLING_V1, admin.tenant(), "/services/billing", BillingV1.LIMIT_NEAR,
                        Map.of("tenant", admin.tenant(), "feature", "inference.calls", "plan", "pro-" + marker, "limit",
                                100000, "used", 80000, "percent", 80, "periodStart", "2026-12-01", "periodEnd",
                                "2026-12-31", "occurredAt", Instant.now().toString()))
                .flush();
        assertTrue(received(marker, 2).stream().map(Receiver.Request::body).toList().toString()
                .contains("Invoice INV-00000042 for 2026-11-01 to 2026-12-01: 123.45 USD"));
        assertTrue(received("pro-" + marker, 1).getFirst().body().contains("80 % used: inference.calls on plan pro-"
                + marker + ", 80000 of 100000 this period"));
    }

    @Test
    void targetsInsidePrivateNetworksAndBadSubscriptionsAreRefused() {
        Api admin = Api.as(TestClient.newTenant(), "admin");
        for (String url : List.of("http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/x",
                "http://192.168.1.10/", "ftp://example.com/x", "http://user:pw@127.0.0.1/x")) {
            admin.req().body(Map.of("name", "x", "channel", "webhook", "url", url, "events", List.of("test.nope")))
                    .post(SUBSCRIPTIONS).then().statusCode(400).contentType("application/problem+json");
            admin.req().body(Map.of("name", "x", "channel", "webhook", "url", url, "events",
                    List.of("conjunction.found"))).post(SUBSCRIPTIONS).then().statusCode(400)
                    .body("errors[0].field", equalTo("url"));
        }
        admin.req().body(Map.of("name", "x", "channel", "pager", "url", RECEIVER.url("/p"), "events",
                List.of("conjunction.found"))).post(SUBSCRIPTIONS).then().statusCode(400);
        admin.req().body(Map.of("name", "x", "channel", "slack", "url", RECEIVER.url("/p"), "events",
                List.of("invoice.paid"))).post(SUBSCRIPTIONS).then().statusCode(400)
                .body("detail", containsString("invoice.paid"));
        admin.req().body(Map.of("name", "x", "channel", "slack", "url", RECEIVER.url("/p"), "events",
                List.of("conjunction.found"), "minProbability", 2)).post(SUBSCRIPTIONS).then().statusCode(400);
        Api.as(admin.tenant(), "publisher").req().body(Map.of("name", "x", "channel", "slack", "url",
                RECEIVER.url("/p"), "events", List.of("conjunction.found"))).post(SUBSCRIPTIONS).then().statusCode(403);
        // a paused subscription's notifications wait; resumed, they go
        String marker = UUID.randomUUID().toString();
        String id = subscribe(admin, "webhook", "/paused/" + marker, Map.of("events", List.of("conjunction.found")))
                .getString("id");
        admin.req().body(Map.of("enabled", false)).patch(SUBSCRIPTIONS + "/" + id).then().statusCode(200)
                .body("enabled", equalTo(false));
        new Events().send(Topics.ORBITAL_CONJUNCTIONS_V1, admin.tenant(), "/services/orbital",
                OrbitalConjunctionsV1.CONJUNCTION_FOUND, conjunction(admin.tenant(), 0.1, marker)).flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.req().get(SUBSCRIPTIONS + "/" + id
                + "/notifications").then().extract().jsonPath().getList("$").size() == 1);
        assertFalse(RECEIVER.requests().stream().anyMatch(r -> r.body().contains(marker)));
        admin.req().body(Map.of("enabled", true)).patch(SUBSCRIPTIONS + "/" + id).then().statusCode(200);
        received(marker, 1);
    }
}
