package io.defensebuilders.aitools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The MCP endpoint's door and its bookkeeping: authentication, origins, tool errors, rate limits and metering. */
@QuarkusTest
class McpEndpointTest {

    @Inject
    CloudEventCodec codec;

    private static final Map<String, Object> INITIALIZE = Map.of("protocolVersion", "2025-11-25", "capabilities",
            Map.of(), "clientInfo", Map.of("name", "test", "version", "1"));

    @Test
    void nothingIsReachableWithoutAToken() {
        given().accept("application/json, text/event-stream").contentType(ContentType.JSON)
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list")).post("/mcp")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().accept("application/json, text/event-stream").contentType(ContentType.JSON)
                .header("Authorization", "Bearer not.a.token")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call", "params",
                        Map.of("name", "list_environments", "arguments", Map.of())))
                .post("/mcp").then().statusCode(401);
    }

    @Test
    void aBrowserOnAnotherSiteIsRefusedAndLocalOnesAreNot() {
        Mcp alice = Mcp.builder(TestClient.newTenant());
        given().header("Authorization", "Bearer " + alice.token()).header("Origin", "https://evil.example")
                .accept("application/json, text/event-stream").contentType(ContentType.JSON)
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", INITIALIZE)).post("/mcp")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("https://evil.example"));
        given().header("Authorization", "Bearer " + alice.token()).header("Origin", "http://localhost:6274")
                .accept("application/json, text/event-stream").contentType(ContentType.JSON)
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", INITIALIZE)).post("/mcp")
                .then().statusCode(200).body("result.protocolVersion", equalTo("2025-11-25"))
                .body("result.serverInfo.name", equalTo("defense-builders-platform"));
    }

    @Test
    void malformedRequestsAreToldWhatIsWrong() {
        Mcp alice = Mcp.viewer(TestClient.newTenant());
        String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        given().header("Authorization", "Bearer " + alice.token()).accept("application/json")
                .contentType(ContentType.JSON).body(list).post("/mcp").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("text/event-stream"));
        for (var bad : Map.of("MCP-Protocol-Version", "1999-01-01").entrySet()) {
            post(alice, list, bad.getKey(), bad.getValue()).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("2025-11-25"));
        }
        for (String notAMessage : List.of("[1,2]", "\"x\"", "[]", "42")) {
            post(alice, notAMessage).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("JSON-RPC message"));
        }
        // not JSON at all: the protocol's own parse error
        post(alice, "{nope").then().statusCode(200).body("error.code", equalTo(-32700));
        post(alice, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"ingest_element_sets\","
                + "\"arguments\":{\"text\":\"" + "x".repeat(70_000) + "\"}}}").then().statusCode(413)
                .contentType("application/problem+json");
        post(alice, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\"}}")
                .then().statusCode(200).body("error.code", equalTo(-32602));
    }

    private static io.restassured.response.Response post(Mcp caller, String body, String... headers) {
        var request = given().header("Authorization", "Bearer " + caller.token())
                .accept("application/json, text/event-stream").contentType(ContentType.JSON).body(body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.post("/mcp");
    }

    @Test
    void aSessionStartedOnAnotherReplicaGoesOnHere() {
        Mcp alice = Mcp.viewer(TestClient.newTenant());
        // a session id this replica never issued, as when the client initialized on another replica
        given().header("Authorization", "Bearer " + alice.token()).header("Mcp-Session-Id", "started-elsewhere")
                .header("MCP-Protocol-Version", "2025-11-25").accept("application/json, text/event-stream")
                .contentType(ContentType.JSON).body(Map.of("jsonrpc", "2.0", "id", 7, "method", "tools/call", "params",
                        Map.of("name", "search_sdks", "arguments", Map.of("query", "anything"))))
                .post("/mcp").then().statusCode(200).body("id", equalTo(7)).body("result.isError", equalTo(false))
                .body("result.structuredContent.items", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void everyToolDescribesItsInputOutputAndEffects() {
        Mcp alice = Mcp.builder(TestClient.newTenant());
        List<Map<String, Object>> tools = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = alice.rpc("tools/list", cursor == null ? Map.of() : Map.of("cursor", cursor)).then()
                    .statusCode(200).extract().jsonPath();
            tools.addAll(page.getList("result.tools"));
            cursor = page.getString("result.nextCursor");
            pages++;
        } while (cursor != null);
        assertTrue(pages > 1, "tools/list pages");
        assertTrue(tools.size() >= 20, "tools: " + tools.size());
        for (Map<String, Object> tool : tools) {
            String name = (String) tool.get("name");
            assertTrue(tool.get("inputSchema") instanceof Map, name + " has an input schema");
            assertTrue(tool.get("outputSchema") instanceof Map, name + " has an output schema");
            assertTrue(tool.get("annotations") instanceof Map, name + " has annotations");
            assertTrue(tool.get("description") instanceof String d && d.length() > 20, name + " is described");
        }
        Map<String, Object> delete = tools.stream().filter(t -> "delete_environment".equals(t.get("name"))).findFirst()
                .orElseThrow();
        assertEquals(Boolean.TRUE, ((Map<?, ?>) delete.get("annotations")).get("destructiveHint"));
        Map<String, Object> search = tools.stream().filter(t -> "search_sdks".equals(t.get("name"))).findFirst()
                .orElseThrow();
        assertEquals(Boolean.TRUE, ((Map<?, ?>) search.get("annotations")).get("readOnlyHint"));
    }

    @Test
    void aRefusalIsAToolErrorWithTheProblemsDetailAndIsNotMetered() {
        Mcp alice = Mcp.builder(TestClient.newTenant());
        String missing = TestClient.unique("no-such-sdk");
        JsonPath result = alice.call("get_sdk", Map.of("name", missing));
        assertEquals(Boolean.TRUE, result.get("isError"));
        assertTrue(result.getString("content[0].text").startsWith("HTTP 404"), result.prettify());
        JsonPath invalid = alice.call("propagate_orbit", Map.of("tleLine1", "1 25544U", "tleLine2", "2 25544",
                "minutesSinceEpoch", List.of(0)));
        assertEquals(Boolean.TRUE, invalid.get("isError"));
        assertTrue(invalid.getString("content[0].text").startsWith("HTTP 400"), invalid.prettify());
        // each field error once, though the problem's detail quotes the first one too
        String text = invalid.getString("content[0].text");
        for (String part : text.substring(text.indexOf("; ") + 2).split("; ")) {
            assertEquals(text.indexOf(part), text.lastIndexOf(part), "'" + part + "' twice in: " + text);
        }
        JsonPath down = alice.call("list_environments", Map.of());
        assertEquals(Boolean.TRUE, down.get("isError"));
        assertEquals("environment-manager is unavailable; try again later", down.getString("content[0].text"));
        // nothing of this tenant's was metered
        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1,
                r -> alice.tenant().equals(r.key()), 1, Duration.ofSeconds(3));
        assertEquals(List.of(), records);
    }

    @Test
    void anAnsweredCallIsMeteredForTheCallersTenant() throws Exception {
        Mcp alice = Mcp.viewer(TestClient.newTenant());
        JsonPath page = alice.call("search_sdks", Map.of("query", "nothing-matches-" + TestClient.unique("q")));
        assertFalse(page.getBoolean("isError"), page.prettify());
        assertEquals(List.of(), page.getList("structuredContent.items"));
        List<ConsumerRecord<String, String>> records = TopicReader.await(Topics.USAGE_V1,
                r -> alice.tenant().equals(r.key()), 1, Duration.ofSeconds(10));
        assertEquals(1, records.size());
        CloudEvent<UsageV1> event = codec.decode(records.getFirst().value(), UsageV1.class);
        assertEquals(UsageV1.MCP_TOOL_CALL, event.data().meter());
        assertEquals(alice.tenant(), event.data().tenant());
        assertEquals(alice.subject(), event.data().subject());
        assertEquals("search_sdks", event.data().attributes().get("tool"));
    }

    @Test
    void eachToolHasItsOwnRateLimitPerTenant() {
        Mcp alice = Mcp.viewer(TestClient.newTenant());
        for (int i = 0; i < 3; i++) {
            assertFalse(alice.call("resolve_sdk", Map.of("name", "x")).getString("content[0].text")
                    .contains("rate limit"));
        }
        JsonPath limited = alice.call("resolve_sdk", Map.of("name", "x"));
        assertEquals(Boolean.TRUE, limited.get("isError"));
        assertTrue(limited.getString("content[0].text").contains("rate limit of tool resolve_sdk"), limited.prettify());
        // another tool, and another tenant, are not limited by it
        assertFalse(alice.call("get_sdk", Map.of("name", "x")).getString("content[0].text").contains("rate limit"));
        assertFalse(Mcp.viewer(TestClient.newTenant()).call("resolve_sdk", Map.of("name", "x"))
                .getString("content[0].text").contains("rate limit"));
    }
}
