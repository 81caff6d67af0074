package io.defensebuilders.aitools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.aitools.service.Signatures;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** A Slack workspace linked to a tenant: signed requests, the Events API handshake, /dbp answered in Block Kit. */
@QuarkusTest
class SlackIntegrationTest {

    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    record Workspace(Api admin, String team, String id) {
    }

    private static Workspace link() {
        Api admin = Api.as(TestClient.newTenant(), "admin");
        String team = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        String id = admin.req().body(Map.of("teamId", team, "signingSecret", SECRET)).post("/api/v1/integrations/slack")
                .then().statusCode(201).body("teamId", equalTo(team)).body("kind", equalTo("slack")).extract()
                .path("id");
        return new Workspace(admin, team, id);
    }

    private static Response send(String id, String contentType, String body, long timestamp, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestamp);
        var request = given().contentType(contentType).header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", Signatures.slackHeader(secret, ts, bytes));
        // REST Assured encodes a form only from a string (URL-encoded: ASCII, the same bytes)
        return (contentType.startsWith("application/x-www-form-urlencoded") ? request.body(body) : request.body(bytes))
                .post("/api/v1/integrations/hooks/slack/" + id);
    }

    private static Response command(Workspace w, String text) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "deprecated-verification-token");
        form.put("team_id", w.team());
        form.put("channel_id", "C0123");
        form.put("user_id", "U0123");
        form.put("command", "/dbp");
        form.put("text", text);
        form.put("trigger_id", UUID.randomUUID().toString());
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(w.id(), "application/x-www-form-urlencoded", body.toString(), Instant.now().getEpochSecond(), SECRET);
    }

    @Test
    void urlVerificationAnswersTheChallengeOnlyWhenSigned() {
        Workspace w = link();
        String challenge = "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                + "\"type\":\"url_verification\"}";
        send(w.id(), "application/json", challenge, Instant.now().getEpochSecond(), SECRET).then().statusCode(200)
                .body("challenge", equalTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
        send(w.id(), "application/json", challenge, Instant.now().getEpochSecond(), "another-signing-secret").then()
                .statusCode(401).contentType("application/problem+json").body("detail", containsString("does not match"));
        // a request replayed six minutes later is refused, signature or not
        send(w.id(), "application/json", challenge, Instant.now().minusSeconds(360).getEpochSecond(), SECRET).then()
                .statusCode(401).body("detail", containsString("replay"));
        given().contentType("application/json").body(challenge).post("/api/v1/integrations/hooks/slack/" + w.id())
                .then().statusCode(401);
        // a GitHub integration's URL is not a Slack one
        send(UUID.randomUUID().toString(), "application/json", challenge, Instant.now().getEpochSecond(), SECRET).then()
                .statusCode(404);
    }

    @Test
    void slashCommandsAnswerInBlockKitAsTheTenant() {
        Workspace w = link();
        // a private SDK of the workspace's tenant is found; another tenant's is not
        Api publisher = Api.as(w.admin().tenant(), "publisher");
        String mine = publisher.sdk("private");
        String theirs = Api.as(TestClient.newTenant(), "publisher").sdk("private");

        JsonPath found = command(w, "sdk " + mine).then().statusCode(200).extract().jsonPath();
        assertEquals("ephemeral", found.getString("response_type"));
        assertEquals("header", found.getString("blocks[0].type"));
        assertTrue(found.getString("blocks[1].text.text").contains("*" + mine + "*"), found.prettify());
        command(w, "sdk " + theirs).then().statusCode(200).body("blocks[1].text.text", containsString("No SDK matches"));

        command(w, "help").then().statusCode(200).body("blocks[1].text.text", containsString("/dbp ccdm"));
        command(w, "launch rockets").then().statusCode(200).body("text", equalTo("Unknown command"));
        command(w, "ccdm iss").then().statusCode(200).body("blocks[1].text.text", containsString("NORAD"));
        // a service that cannot answer is said so, in the message (Slack shows nothing for an error status)
        command(w, "env").then().statusCode(200).body("text", equalTo("Could not answer"))
                .body("blocks[1].text.text", containsString("unavailable"));
        // markup in what the user typed does not become a mention or a link
        command(w, "<!channel> <https://evil.example|x>").then().statusCode(200)
                .body("blocks[1].text.text", containsString("&lt;!channel&gt;"));
        // as a viewer of the tenant
        assertTrue(IntegrationsTestResource.mint().minted().stream().anyMatch(m -> m.tenant().equals(w.admin().tenant())
                && m.roles().equals(java.util.List.of("viewer"))));
    }

    @Test
    void eventsAreRecordedOnceAndOnlyFromTheLinkedWorkspace() {
        Workspace w = link();
        String eventId = "Ev" + UUID.randomUUID().toString().substring(0, 8);
        String event = "{\"type\":\"event_callback\",\"team_id\":\"" + w.team() + "\",\"event_id\":\"" + eventId
                + "\",\"event\":{\"type\":\"app_mention\",\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"<@U0> hi\"}}";
        long now = Instant.now().getEpochSecond();
        send(w.id(), "application/json", event, now, SECRET).then().statusCode(200);
        // Slack's retry of the same event
        send(w.id(), "application/json", event, now, SECRET).then().statusCode(200);
        w.admin().req().get("/api/v1/integrations/" + w.id() + "/deliveries").then().statusCode(200)
                .body("findAll { it.id == '" + eventId + "' }", hasSize(1))
                .body("event", hasItem("app_mention"));
        send(w.id(), "application/json", event.replace(w.team(), "TOTHERTEAM"), now, SECRET).then().statusCode(422);
        send(w.id(), "application/json", "{\"type\":\"block_actions\"}", now, SECRET).then().statusCode(400)
                .contentType("application/problem+json");
        send(w.id(), "text/plain", "hello", now, SECRET).then().statusCode(400);
        // managing it needs the admin role; rotating takes Slack's new secret
        Api.as(w.admin().tenant(), "publisher").req().delete("/api/v1/integrations/" + w.id()).then().statusCode(403);
        w.admin().req().post("/api/v1/integrations/" + w.id() + "/secret").then().statusCode(400);
        w.admin().req().body(Map.of("secret", "a-new-slack-signing-secret")).post("/api/v1/integrations/" + w.id()
                + "/secret").then().statusCode(200);
        send(w.id(), "application/json", event, now, SECRET).then().statusCode(401);
    }
}
