package io.defensebuilders.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.http.RawHttp;

/** The rules an answer is judged by, on answers written by hand. */
class ChecksTest {

    private final Checks checks = new Checks(List.of("S3cr3tKeyEncryptionKey+base64="),
            List.of("secret-sdk", "a1b2c3d4e5f60718"));

    private static FuzzCase as(String tenant, boolean cross, String method, String target) {
        return new FuzzCase(method + " " + target, "g", "case", tenant, "admin", cross, method, target, List.of(), null, false);
    }

    private static RawHttp.Answer answer(int status, String type, String body) {
        return new RawHttp.Answer(status, type == null ? Map.of() : Map.of("content-type", type),
                body.getBytes(StandardCharsets.UTF_8), 1);
    }

    private List<String> kinds(FuzzCase c, RawHttp.Answer a) {
        return checks.check(c, a).stream().map(Checks.Finding::kind).toList();
    }

    @Test
    void aProblemAnswerPassesAndAnythingElseIsNamed() {
        FuzzCase c = as(World.A, false, "GET", "/api/v1/sdks/x");
        String problem = "{\"type\":\"https://defensebuilders.io/problems/not-found\",\"title\":\"No such resource\",\"status\":404}";
        assertEquals(List.of(), kinds(c, answer(404, "application/problem+json", problem)));
        assertEquals(List.of("not-problem+json"), kinds(c, answer(404, "application/json", problem)));
        assertEquals(List.of("not-problem+json"), kinds(c, answer(400, "application/problem+json", problem)),
                "status member differs");
        assertEquals(List.of("not-problem+json"), kinds(c, answer(431, null, "")));
        assertEquals(List.of("5xx"), kinds(c, answer(500, "application/problem+json", problem.replace("404", "500"))));
    }

    @Test
    void underV2TheInferenceProtocolsOwnErrorPassesAndNothingElse() {
        String oip = "{\"error\":\"no model 'x'\"}";
        FuzzCase infer = as(World.A, false, "POST", "/v2/models/x/infer");
        assertEquals(List.of(), kinds(infer, answer(404, "application/json", oip)));
        assertEquals(List.of(), kinds(infer, answer(401, "application/problem+json",
                "{\"type\":\"t\",\"title\":\"x\",\"status\":401}")), "the gateway's own refusal");
        assertEquals(List.of("not-problem+json"), kinds(infer, answer(400, "text/plain", oip)));
        assertEquals(List.of("not-problem+json"), kinds(infer, answer(400, "application/json", "{\"error\":\"\"}")));
        assertEquals(List.of("not-problem+json"), kinds(infer, answer(400, "application/json", "{\"message\":\"x\"}")));
        assertEquals(List.of("not-problem+json"), kinds(as(World.A, false, "GET", "/api/v1/inference/models/x"),
                answer(404, "application/json", oip)), "only the protocol's paths");
    }

    @Test
    void internalsInAnyBodyAreNamedOnce() {
        FuzzCase c = as(World.A, false, "POST", "/api/v1/sdks");
        String jackson = "{\"type\":\"t\",\"title\":\"x\",\"status\":400,\"detail\":\"Cannot deserialize value of type "
                + "`io.defensebuilders.registry.api.SdkRequests$NewSdk` from Array value\"}";
        assertEquals(List.of("names-internals"), kinds(c, answer(400, "application/problem+json", jackson)));
        assertEquals(List.of("names-internals"), kinds(c,
                answer(200, "application/json", "{\"e\":\"ERROR: invalid byte sequence for encoding \\\"UTF8\\\": 0x00\"}")));
        assertEquals(List.of("not-problem+json", "names-internals"),
                kinds(c, answer(400, "application/json", "{\"details\":\"Error id 1\",\"stack\":\"\"}")));
        assertEquals(List.of(), kinds(c, answer(200, "application/json", "{\"type\":\"io.defensebuilders.usage.v1\"}")),
                "a CloudEvents type is not a class");
    }

    @Test
    void secretsAndOtherTenantsData() {
        String key = "dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertEquals(List.of(), kinds(as(World.A, false, "POST", "/api/v1/api-keys"),
                answer(201, "application/json", "{\"secret\":\"" + key + "\"}")));
        assertEquals(List.of("leaks-secret"),
                kinds(as(World.A, false, "GET", "/api/v1/api-keys"), answer(200, "application/json", "[\"" + key + "\"]")));
        assertEquals(List.of("leaks-secret"),
                kinds(as(World.A, false, "GET", "/x"), answer(200, "text/plain", "S3cr3tKeyEncryptionKey+base64=")));
        assertEquals(List.of("cross-tenant-success"),
                kinds(as(World.B, true, "GET", "/api/v1/sdks/secret-sdk"), answer(200, "application/json", "{}")));
        assertEquals(List.of(), kinds(as(World.B, true, "GET", "/api/v1/sdks/secret-sdk"), answer(404,
                "application/problem+json", "{\"type\":\"t\",\"title\":\"no SDK named secret-sdk\",\"status\":404}")));
        assertEquals(List.of("cross-tenant-leak"), kinds(as(World.C, false, "GET", "/api/v1/orbital/element-sets/1"),
                answer(200, "application/json", "{\"ingestedBy\":\"key:a1b2c3d4e5f60718\"}")));
        assertEquals(List.of(), kinds(as(World.A, false, "GET", "/api/v1/orbital/element-sets/1"),
                answer(200, "application/json", "{\"ingestedBy\":\"key:a1b2c3d4e5f60718\"}")), "A sees its own");
    }

    @Test
    void judgingAHugeEchoTakesNoTime() {
        String echo = "{\"type\":\"t\",\"title\":\"x\",\"status\":400,\"detail\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}";
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> kinds(as(World.A, false, "POST", "/x"), answer(400, "application/problem+json", echo)));
    }
}
