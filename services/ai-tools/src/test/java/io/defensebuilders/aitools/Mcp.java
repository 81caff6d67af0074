package io.defensebuilders.aitools;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.defensebuilders.testing.quarkus.TestClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** A test caller of the MCP endpoint: JSON-RPC requests over Streamable HTTP with the caller's internal JWT. */
record Mcp(String tenant, String subject, String[] roles) implements TestClient {

    private static final AtomicInteger IDS = new AtomicInteger();

    static Mcp builder(String tenant) {
        return new Mcp(tenant, TestClient.unique("builder"), new String[] { "builder" });
    }

    static Mcp viewer(String tenant) {
        return new Mcp(tenant, TestClient.unique("viewer"), new String[] { "viewer" });
    }

    /** A JSON-RPC request (no session: the server initializes one for it) and its raw HTTP answer. */
    Response rpc(String method, Map<String, Object> params) {
        return given().header("Authorization", "Bearer " + token())
                .accept("application/json, text/event-stream").contentType(ContentType.JSON)
                .header("MCP-Protocol-Version", "2025-11-25")
                .body(Map.of("jsonrpc", "2.0", "id", IDS.incrementAndGet(), "method", method, "params", params))
                .post("/mcp");
    }

    /** tools/call of {@code tool}: the JSON-RPC result. */
    JsonPath call(String tool, Map<String, Object> arguments) {
        Response response = rpc("tools/call", Map.of("name", tool, "arguments", arguments));
        response.then().statusCode(200);
        JsonPath json = response.jsonPath();
        if (json.get("error") != null) {
            throw new AssertionError("JSON-RPC error: " + response.asString());
        }
        return json.setRootPath("result");
    }
}
