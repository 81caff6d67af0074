package io.defensebuilders.aitools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.testing.mcp.McpNodeClient;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The MCP server as an assistant meets it, checked by a client that shares nothing with this codebase: the official
 * TypeScript SDK ({@link McpNodeClient}) over Streamable HTTP against the real registry, orbital and billing. Where Node
 * or the package is missing (a laptop with only a JDK) the test is skipped; .ci/run requires them.
 */
@QuarkusTest
class TypeScriptClientTest {

    private static final String ISS_1 = withChecksum("1 25544U 98067A   26340.50000000  .00016717  00000-0  30306-3 0  999");
    private static final String ISS_2 = withChecksum("2 25544  51.6400 247.4627 0006703 130.5360 325.0288 15.4981531156353");

    @Test
    void anAssistantWorksWithThePlatformThroughTheOfficialSdk() throws Exception {
        Optional<Path> modules = McpNodeClient.modules();
        Assumptions.assumeTrue(modules.isPresent(),
                "DBP_NODE_CLIENTS names no node_modules with @modelcontextprotocol/sdk (.ci/run installs it)");
        Mcp alice = new Mcp(TestClient.newTenant(), TestClient.unique("alice"), new String[] { "publisher" });
        String sdk = privateSdk(alice);
        int first = catalog(400);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);

        JsonNode seen = McpNodeClient.run(modules.get(), mcpUrl(), alice.token(), Map.of(
                "calls", List.of(
                        call("search_sdks", Map.of("query", sdk)),
                        call("get_sdk", Map.of("name", sdk)),
                        call("publish_sdk_version", Map.of("name", sdk, "version", "1.1.0", "readme", "# " + sdk
                                + " 1.1\nNow with CoT over TLS.")),
                        call("resolve_sdk", Map.of("name", sdk, "range", "^1")),
                        call("propagate_orbit", Map.of("tleLine1", ISS_1, "tleLine2", ISS_2, "minutesSinceEpoch",
                                List.of(0, 92.9), "geodetic", true)),
                        call("screen_conjunctions", Map.of("primaries", List.of(first), "windowDays", 0.02,
                                "thresholdKm", 50)),
                        call("list_invoices", Map.of()),
                        call("usage_summary", Map.of("meter", "mcp.tool_call", "from", now.minus(1, ChronoUnit.HOURS)
                                .toString(), "to", now.plus(1, ChronoUnit.HOURS).toString(), "groupBy", List.of("tool"))),
                        call("get_sdk", Map.of("name", "no-such-" + sdk))),
                "resources", List.of("dbp://sdks/" + sdk + "/readme", "dbp://orbital/ccdm/" + first),
                "prompt", Map.of("name", "assess_satellite", "arguments", Map.of("noradId", "25544")),
                "cancel", call("screen_conjunctions", Map.of("windowDays", 14, "thresholdKm", 50))));

        assertEquals(401, seen.path("unauthenticated").path("code").asInt(), seen.path("unauthenticated").toString());
        assertEquals("2025-11-25", seen.path("protocolVersion").asText());
        assertEquals("defense-builders-platform", seen.path("server").path("name").asText());
        assertTrue(seen.path("toolPages").asInt() > 1, "tools/list pages: " + seen.path("toolPages"));
        Set<String> tools = names(seen.path("tools"), "name");
        assertTrue(tools.containsAll(Set.of("search_sdks", "publish_sdk_version", "create_environment",
                "delete_environment", "get_kubeconfig", "propagate_orbit", "ingest_element_sets", "screen_conjunctions",
                "assess_ccdm", "list_maneuvers", "usage_summary", "list_invoices", "query_analytics", "run_inference")),
                tools.toString());
        seen.path("tools").forEach(t -> assertTrue(t.path("hasOutputSchema").asBoolean(), t.toString()));
        assertTrue(names(seen.path("resourceTemplates"), null).contains("dbp://orbital/screenings/{id}/conjunctions.csv"));
        assertEquals(Set.of("assess_satellite", "setup_tak_sandbox", "publish_sdk"), names(seen.path("prompts"), null));

        List<JsonNode> calls = new ArrayList<>();
        seen.path("calls").forEach(calls::add);
        calls.forEach(c -> assertFalse(c.has("thrown"), "the SDK refused an answer: " + c));
        for (JsonNode c : calls.subList(0, 8)) {
            assertFalse(c.path("isError").asBoolean(), c.toString());
        }
        assertEquals(sdk, calls.get(0).path("structuredContent").path("items").path(0).path("name").asText());
        assertEquals("private", calls.get(1).path("structuredContent").path("visibility").asText());
        assertEquals("1.1.0", calls.get(2).path("structuredContent").path("version").asText());
        assertEquals("1.1.0", calls.get(3).path("structuredContent").path("version").asText());
        JsonNode states = calls.get(4).path("structuredContent").path("states");
        assertEquals(2, states.size());
        double radius = Math.sqrt(StreamSupport.stream(states.path(0).path("position").spliterator(), false)
                .mapToDouble(v -> v.asDouble() * v.asDouble()).sum());
        assertTrue(radius > 6_600 && radius < 6_900, "the ISS is ~400 km up: |r| = " + radius);
        assertEquals("done", calls.get(5).path("structuredContent").path("screening").path("status").asText(),
                calls.get(5).toString());
        assertTrue(calls.get(6).path("structuredContent").path("items").isArray());
        assertEquals("mcp.tool_call", calls.get(7).path("structuredContent").path("meter").asText());
        assertTrue(calls.get(8).path("isError").asBoolean());
        assertTrue(calls.get(8).path("text").asText().startsWith("HTTP 404"), calls.get(8).toString());

        assertTrue(seen.path("resources").path(0).path("text").asText().contains("Now with CoT over TLS."),
                seen.path("resources").toString());
        assertEquals("text/markdown", seen.path("resources").path(0).path("mimeType").asText());
        assertEquals(first, seen.path("resources").path(1).has("thrown") ? -1
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(seen.path("resources").path(1).path("text")
                        .asText()).path("noradId").asInt(),
                seen.path("resources").path(1).toString());
        assertTrue(seen.path("prompt").path(0).asText().contains("assess_ccdm"));

        // cancelled at its first progress notification: the call ends, and so does the screening on the platform
        JsonNode cancel = seen.path("cancel");
        assertTrue(cancel.path("progress").size() >= 1, cancel.toString());
        assertFalse(cancel.path("finished").asBoolean(), cancel.toString());
        assertEquals("cancelled", awaitNewestScreening(alice, "cancelled"));

        // another tenant sees none of it
        Mcp bob = Mcp.builder(TestClient.newTenant());
        JsonNode other = McpNodeClient.run(modules.get(), mcpUrl(), bob.token(), Map.of("calls", List.of(
                call("search_sdks", Map.of("query", sdk)), call("get_sdk", Map.of("name", sdk)))));
        assertEquals(0, other.path("calls").path(0).path("structuredContent").path("items").size());
        assertTrue(other.path("calls").path(1).path("text").asText().startsWith("HTTP 404"), other.toString());
    }

    /**
     * The 2.x client package ({@code @modelcontextprotocol/client}), rewritten from the 1.x SDK, as a second
     * independent client: it negotiates 2025-11-25 with this server, validates every structuredContent against the
     * tools' output schemas, follows progress and cancels.
     */
    @Test
    void theV2ClientPackageWorksWithThePlatformToo() throws Exception {
        Optional<Path> modules = McpNodeClient.modules(McpNodeClient.CLIENT);
        Assumptions.assumeTrue(modules.isPresent(),
                "DBP_NODE_CLIENTS names no node_modules with @modelcontextprotocol/client (.ci/run installs it)");
        Mcp carol = new Mcp(TestClient.newTenant(), TestClient.unique("carol"), new String[] { "publisher" });
        String sdk = privateSdk(carol);
        catalog(400);
        JsonNode seen = McpNodeClient.run(modules.get(), mcpUrl(), carol.token(), Map.of(
                "calls", List.of(call("search_sdks", Map.of("query", sdk)),
                        call("list_sdk_versions", Map.of("name", sdk)),
                        call("propagate_orbit", Map.of("tleLine1", ISS_1, "tleLine2", ISS_2, "minutesSinceEpoch",
                                List.of(0))),
                        call("get_sdk", Map.of("name", "no-such-" + sdk))),
                "resources", List.of("dbp://sdks/" + sdk + "/versions"),
                "prompt", Map.of("name", "publish_sdk", "arguments", Map.of("name", sdk, "version", "2.0.0")),
                "cancel", call("screen_conjunctions", Map.of("windowDays", 14, "thresholdKm", 50))),
                McpNodeClient.CLIENT);

        assertEquals("@modelcontextprotocol/client", seen.path("package").asText());
        assertEquals(401, seen.path("unauthenticated").path("status").asInt(), seen.path("unauthenticated").toString());
        assertEquals("2025-11-25", seen.path("protocolVersion").asText());
        // every tool, however the package pages (2.x follows nextCursor itself)
        assertEquals(24, seen.path("tools").size(), "pages: " + seen.path("toolPages") + ", " + seen.path("tools"));
        seen.path("tools").forEach(t -> assertTrue(t.path("hasOutputSchema").asBoolean(), t.toString()));
        List<JsonNode> calls = new ArrayList<>();
        seen.path("calls").forEach(calls::add);
        calls.forEach(c -> assertFalse(c.has("thrown"), "the client refused an answer: " + c));
        assertEquals(sdk, calls.get(0).path("structuredContent").path("items").path(0).path("name").asText());
        assertEquals("1.0.0", calls.get(1).path("structuredContent").path("versions").path(0).path("version").asText());
        assertEquals(1, calls.get(2).path("structuredContent").path("states").size());
        assertTrue(calls.get(3).path("isError").asBoolean());
        assertTrue(seen.path("resources").path(0).path("text").asText().contains("1.0.0"), seen.toString());
        assertTrue(seen.path("prompt").path(0).asText().contains(sdk));
        JsonNode cancel = seen.path("cancel");
        assertTrue(cancel.path("progress").size() >= 1, cancel.toString());
        assertFalse(cancel.path("finished").asBoolean(), cancel.toString());
        assertEquals("cancelled", awaitNewestScreening(carol, "cancelled"));
    }

    private static Map<String, Object> call(String name, Map<String, Object> arguments) {
        return Map.of("name", name, "arguments", arguments);
    }

    private static Set<String> names(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> field == null ? n.asText()
                : n.path(field)
                        .asText())
                .collect(Collectors.toSet());
    }

    private static String mcpUrl() {
        return "http://localhost:" + RestAssured.port + "/mcp";
    }

    private static String service(String name) {
        return ConfigProvider.getConfig().getValue("dbp.ai-tools.services." + name + ".url", String.class);
    }

    /** A private SDK of {@code owner}'s tenant with a first version, made over the registry's REST API. */
    private static String privateSdk(Mcp owner) {
        String publisher = TestClient.unique("pub");
        String sdk = TestClient.unique("sdk");
        owner.req().baseUri(service("sdk-registry")).body(Map.of("name", publisher, "displayName", "Publisher"))
                .post("/api/v1/publishers").then().statusCode(201);
        owner.req().baseUri(service("sdk-registry")).body(Map.of("name", sdk, "publisher", publisher, "title",
                "Test SDK " + sdk, "license", "Apache-2.0", "visibility", "private")).post("/api/v1/sdks").then()
                .statusCode(201);
        owner.req().baseUri(service("sdk-registry")).body(Map.of("version", "1.0.0", "readme", "# " + sdk))
                .post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(201);
        return sdk;
    }

    /**
     * {@code count} objects in low Earth orbit in the shared catalog (epochs today), ingested by a platform admin; the
     * first one's NORAD id. Enough for a two-week whole-catalog screening to take a while.
     */
    private static int catalog(int count) {
        int base = 70_000 + (int) (Math.random() * 20_000);
        base = Math.min(base, 99_999 - count);
        StringBuilder tles = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String id = String.format("%05d", base + i);
            String line1 = "1 " + id + "U 98067A   26340.50000000  .00016717  00000-0  30306-3 0  999";
            String line2 = "2 " + id + String.format(java.util.Locale.ROOT, " %8.4f %8.4f 0006703 130.5360 %8.4f",
                    51.64 + (i % 7) * 0.5, (247.4627 + i * 0.9) % 360, (325.0288 + i * 7.3) % 360) + " 15.4981531156353";
            tles.append(withChecksum(line1)).append('\n').append(withChecksum(line2)).append('\n');
        }
        Mcp admin = new Mcp("platform", TestClient.unique("ops"), new String[] { "platform-admin" });
        RestAssured.given().baseUri(service("orbital")).header("Authorization", "Bearer " + admin.token())
                .contentType("text/plain").body(tles.toString()).post("/api/v1/orbital/element-sets")
                .then().statusCode(200);
        return base;
    }

    /** The 68 columns of a TLE line and its checksum: the sum of its digits, minus signs counting 1, modulo 10. */
    private static String withChecksum(String line) {
        if (line.length() != 68) {
            throw new IllegalArgumentException("a TLE line has 68 columns before its checksum: " + line);
        }
        int sum = 0;
        for (char c : line.toCharArray()) {
            sum += Character.isDigit(c) ? c - '0' : c == '-' ? 1 : 0;
        }
        return line + sum % 10;
    }

    private static String awaitNewestScreening(Mcp owner, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = owner.req().baseUri(service("orbital")).contentType(ContentType.JSON)
                    .get("/api/v1/orbital/screenings?limit=1").then().statusCode(200).extract().jsonPath()
                    .getString("items[0].status");
            if (status.equals(seen)) {
                return seen;
            }
            Thread.sleep(200);
        }
        return seen;
    }
}
