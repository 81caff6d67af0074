package io.defensebuilders.aitools;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.aitools.service.Signatures;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A GitHub repository linked to an SDK, end to end: signed deliveries over real HTTP, the release published on the
 * real SDK registry as the tenant, its tarball fetched through GitHub's redirect.
 */
@QuarkusTest
class GitHubIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A link of a new SDK of a new tenant: the publisher who made it, the integration's id, its secret. */
    record Link(Api publisher, String sdk, String repository, String id, String secret) {
    }

    private static Link link(String token) {
        Api publisher = Api.as(TestClient.newTenant(), "publisher");
        String sdk = publisher.sdk("private");
        String repository = "acme/" + TestClient.unique("repo");
        Map<String, Object> body = token == null ? Map.of("repository", repository, "sdk", sdk)
                : Map.of("repository", repository, "sdk", sdk, "token", token);
        JsonPath created = publisher.req().header("X-Forwarded-Host", "dbp.example.com")
                .header("X-Forwarded-Proto", "https").body(body).post("/api/v1/integrations/github").then()
                .statusCode(201).body("kind", equalTo("github")).body("repository", equalTo(repository))
                .body("hasToken", equalTo(token != null)).extract().jsonPath();
        String id = created.getString("id");
        assertEquals("https://dbp.example.com/api/v1/integrations/hooks/github/" + id, created.getString("webhookUrl"));
        return new Link(publisher, sdk, repository, id, created.getString("secret"));
    }

    static Response deliver(String id, String secret, String event, String delivery, Object payload) {
        byte[] body = bytes(payload);
        var request = given().contentType("application/json").header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery).body(body);
        if (secret != null) {
            request.header("X-Hub-Signature-256", Signatures.githubHeader(secret, body));
        }
        return request.post("/api/v1/integrations/hooks/github/" + id);
    }

    static Map<String, Object> release(Link link, String tag, String notes, String tarball) {
        Map<String, Object> release = new java.util.HashMap<>(Map.of("tag_name", tag, "draft", false, "prerelease", false,
                "body", notes));
        if (tarball != null) {
            release.put("tarball_url", tarball);
        }
        return Map.of("action", "published", "release", release, "repository", Map.of("full_name", link.repository()),
                "sender", Map.of("login", "octocat"));
    }

    private static JsonPath settled(Link link, String delivery) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> link.publisher().req()
                .get("/api/v1/integrations/" + link.id() + "/deliveries").then().statusCode(200).extract()
                .jsonPath(),
                d -> List.of("done", "failed").contains(d.getString("find { it.id == '" + delivery
                        + "' }.status")));
    }

    @Test
    void aPublishedReleaseBecomesAVersionWithItsNotesAndTarball() throws Exception {
        Link link = link("ghp_test-token-for-a-private-repo");
        byte[] tarball = ("a tarball of " + link.repository()).getBytes(StandardCharsets.UTF_8);
        String url = FakeGitHub.get().release(link.repository(), "v1.2.0", tarball);
        String delivery = UUID.randomUUID().toString();

        deliver(link.id(), link.secret(), "release", delivery, release(link, "v1.2.0", "# 1.2.0\nFaster sync.", url))
                .then().statusCode(202).body("event", equalTo("release.published")).body("work", equalTo(true));

        JsonPath deliveries = settled(link, delivery);
        String at = "find { it.id == '" + delivery + "' }.";
        assertEquals("done", deliveries.getString(at + "status"), deliveries.prettify());
        assertTrue(deliveries.getString(at + "detail").contains(link.sdk() + "@1.2.0 with the release's tarball"));
        // the version, as the registry has it: the release notes are its README, the tarball its artifact
        Api reader = link.publisher();
        reader.req().baseUri(Api.registry()).get("/api/v1/sdks/" + link.sdk() + "/versions/1.2.0").then()
                .statusCode(200).body("readme", equalTo("# 1.2.0\nFaster sync.")).body("publishedBy",
                        equalTo("service:ai-tools"));
        byte[] stored = reader.req().baseUri(Api.registry()).get("/api/v1/sdks/" + link.sdk()
                + "/versions/1.2.0/artifact").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(tarball, stored);
        // the token went to GitHub's API only, not along the redirect to the download host
        List<FakeGitHub.Request> requests = FakeGitHub.get().requests(link.repository());
        assertEquals("Bearer ghp_test-token-for-a-private-repo", requests.stream().filter(r -> r.server().equals("api"))
                .findFirst().orElseThrow().authorization());
        assertTrue(requests.stream().filter(r -> r.server().equals("download")).allMatch(r -> r.authorization() == null),
                requests.toString());
        // acting as the tenant, with the publisher role it needs and no more
        assertTrue(IntegrationsTestResource.mint().minted().stream().anyMatch(m -> m.tenant().equals(link.publisher()
                .tenant()) && m.roles().equals(List.of("publisher"))));
    }

    @Test
    void aRedeliveryIsRecognisedAndMakesNoSecondEventOrVersion() {
        Link link = link(null);
        String delivery = UUID.randomUUID().toString();
        Object payload = release(link, "2.0.0", "notes", null);
        deliver(link.id(), link.secret(), "release", delivery, payload).then().statusCode(202)
                .body("duplicate", equalTo(false));
        deliver(link.id(), link.secret(), "release", delivery, payload).then().statusCode(200)
                .body("duplicate", equalTo(true)).body("work", equalTo(false));
        JsonPath deliveries = settled(link, delivery);
        assertEquals(1, deliveries.getList("findAll { it.id == '" + delivery + "' }").size());
        assertEquals("done", deliveries.getString("find { it.id == '" + delivery + "' }.status"));
        // one integrations.v1 event, its id derived from the delivery's, the tenant's
        var events = TopicReader.await(Topics.INTEGRATIONS_V1, r -> r.value().contains(delivery), 2,
                Duration.ofSeconds(15));
        assertEquals(1, events.size(), events.toString());
        JsonPath event = new JsonPath(events.getFirst().value());
        assertEquals("io.defensebuilders.integrations.v1.github.delivery", event.getString("type"));
        assertEquals(link.publisher().tenant(), event.getString("data.tenant"));
        assertEquals("release.published", event.getString("data.event"));
        assertEquals("2.0.0", event.getString("data.attributes.tag"));
        assertEquals("octocat", event.getString("data.actor"));
    }

    @Test
    void aDeliveryWithoutTheRightSignatureIsRefusedAndNothingIsRecorded() {
        Link link = link(null);
        Object ping = Map.of("zen", "Keep it logically awesome.", "hook_id", 1,
                "repository", Map.of("full_name", link.repository()));
        deliver(link.id(), null, "ping", "d-unsigned", ping).then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("X-Hub-Signature-256 is missing"));
        deliver(link.id(), "not-the-secret-not-the-secret", "ping", "d-forged", ping).then().statusCode(401)
                .body("detail", containsString("does not match"));
        // signed over other bytes than those sent
        given().contentType("application/json").header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "d-edited")
                .header("X-Hub-Signature-256", Signatures.githubHeader(link.secret(), bytes(ping)))
                .body(bytes(Map.of("zen", "edited"))).post("/api/v1/integrations/hooks/github/" + link.id()).then()
                .statusCode(401);
        link.publisher().req().get("/api/v1/integrations/" + link.id() + "/deliveries").then().statusCode(200)
                .body("$", hasSize(0));
        // signed, but other problems: each a clear 4xx
        deliver(link.id(), link.secret(), "ping", "d-other-repo", Map.of("repository", Map.of("full_name", "evil/repo")))
                .then().statusCode(422).body("detail", containsString("the integration links " + link.repository()));
        deliver(UUID.randomUUID().toString(), link.secret(), "ping", "d-nowhere", ping).then().statusCode(404);
        given().contentType("application/json").header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "d-garbage")
                .header("X-Hub-Signature-256", Signatures.githubHeader(link.secret(), "[1,2".getBytes()))
                .body("[1,2").post("/api/v1/integrations/hooks/github/" + link.id()).then().statusCode(400)
                .contentType("application/problem+json");
        deliver(link.id(), link.secret(), "ping", "d-ping", ping).then().statusCode(202).body("event", equalTo("ping"))
                .body("work", equalTo(false));
    }

    @Test
    void aTagThatIsNotAVersionFailsForGoodWithTheRegistrysReason() {
        Link link = link(null);
        String delivery = UUID.randomUUID().toString();
        deliver(link.id(), link.secret(), "release", delivery, release(link, "nightly", "n", null)).then().statusCode(202);
        JsonPath deliveries = settled(link, delivery);
        String at = "find { it.id == '" + delivery + "' }.";
        assertEquals("failed", deliveries.getString(at + "status"));
        assertTrue(deliveries.getString(at + "detail").startsWith("HTTP 400"), deliveries.getString(at + "detail"));
        assertEquals(1, deliveries.getInt(at + "attempts"), "a refusal is not tried again");
    }

    @Test
    void aGitHubOutageIsRetriedUntilTheTarballArrives() {
        Link link = link(null);
        byte[] tarball = "retried".getBytes(StandardCharsets.UTF_8);
        String url = FakeGitHub.get().release(link.repository(), "v3.0.0", tarball);
        FakeGitHub.get().failNext(link.repository(), "v3.0.0", 1);
        String delivery = UUID.randomUUID().toString();
        deliver(link.id(), link.secret(), "release", delivery, release(link, "v3.0.0", "three", url)).then()
                .statusCode(202);
        JsonPath deliveries = settled(link, delivery);
        String at = "find { it.id == '" + delivery + "' }.";
        assertEquals("done", deliveries.getString(at + "status"), deliveries.prettify());
        assertEquals(2, deliveries.getInt(at + "attempts"));
        // the first attempt had published the version; the second went on to the artifact
        assertArrayEquals(tarball, link.publisher().req().baseUri(Api.registry()).get("/api/v1/sdks/" + link.sdk()
                + "/versions/3.0.0/artifact").then().statusCode(200).extract().asByteArray());
    }

    @Test
    void aTarballOutsideGitHubsApiIsNotFetched() {
        Link link = link(null);
        String delivery = UUID.randomUUID().toString();
        deliver(link.id(), link.secret(), "release", delivery, release(link, "4.0.0", "four",
                "http://169.254.169.254/latest/meta-data")).then().statusCode(202);
        JsonPath deliveries = settled(link, delivery);
        String at = "find { it.id == '" + delivery + "' }.";
        assertEquals("failed", deliveries.getString(at + "status"));
        assertTrue(deliveries.getString(at + "detail").contains("not fetched"), deliveries.getString(at + "detail"));
    }

    @Test
    void integrationsAreTheTenantsOwnAndNeedTheRightRole() {
        Link link = link(null);
        Api stranger = Api.as(TestClient.newTenant(), "admin");
        stranger.req().get("/api/v1/integrations/" + link.id()).then().statusCode(404);
        stranger.req().delete("/api/v1/integrations/" + link.id()).then().statusCode(404);
        stranger.req().get("/api/v1/integrations/" + link.id() + "/deliveries").then().statusCode(404);
        stranger.req().get("/api/v1/integrations").then().statusCode(200).body("$", hasSize(0));
        // a viewer of the tenant sees it, without its secret, and cannot link
        Api viewer = Api.as(link.publisher().tenant(), "viewer");
        viewer.req().get("/api/v1/integrations/" + link.id()).then().statusCode(200).body("secret", nullValue())
                .body("sdk", equalTo(link.sdk()));
        viewer.req().body(Map.of("repository", "acme/x", "sdk", link.sdk())).post("/api/v1/integrations/github").then()
                .statusCode(403);
        // another tenant's SDK, a repository already linked, bad input
        stranger.req().body(Map.of("repository", "acme/y", "sdk", link.sdk())).post("/api/v1/integrations/github")
                .then().statusCode(400).contentType("application/problem+json");
        link.publisher().req().body(Map.of("repository", link.repository().toUpperCase(), "sdk", link.sdk()))
                .post("/api/v1/integrations/github").then().statusCode(409);
        link.publisher().req().body(Map.of("repository", "not a repo", "sdk", link.sdk()))
                .post("/api/v1/integrations/github").then().statusCode(400).body("errors[0].field",
                        containsString("repository"));
        link.publisher().req().body("{\"repository\":").post("/api/v1/integrations/github").then().statusCode(400);
        stranger.req().body(Map.of("teamId", "T0123ABCD", "signingSecret", "short")).post("/api/v1/integrations/slack")
                .then().statusCode(400);
    }

    @Test
    void aRotatedSecretReplacesTheOldOneAndNoSecretIsStoredInTheClear() throws Exception {
        Link link = link(null);
        Object ping = Map.of("hook_id", 2, "repository", Map.of("full_name", link.repository()));
        String next = link.publisher().req().post("/api/v1/integrations/" + link.id() + "/secret").then()
                .statusCode(200).extract().path("secret");
        assertFalse(next.equals(link.secret()));
        deliver(link.id(), link.secret(), "ping", "d-old", ping).then().statusCode(401);
        deliver(link.id(), next, "ping", "d-new", ping).then().statusCode(202);
        // what the database holds is sealed
        var db = io.defensebuilders.testing.infra.SharedInfra.postgres();
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            var row = c.prepareStatement("SELECT secret FROM ai_tools.integration WHERE id = '" + link.id() + "'")
                    .executeQuery();
            assertTrue(row.next());
            String stored = new String(row.getBytes(1), StandardCharsets.ISO_8859_1);
            assertFalse(stored.contains(next));
        }
        // unlinked: the next delivery is a 404
        link.publisher().req().delete("/api/v1/integrations/" + link.id()).then().statusCode(204);
        deliver(link.id(), next, "ping", "d-gone", ping).then().statusCode(404);
    }

    static byte[] bytes(Object payload) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
