package io.defensebuilders.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The fuzzer's own promises, without a fleet: same seed, same requests; the budget holds; cross-tenant cases exist. */
class GeneratorTest {

    private static final String DOC = """
            {"openapi":"3.1.0","paths":{
              "/api/v1/sdks/{name}/versions":{"post":{
                "parameters":[{"name":"name","in":"path","required":true,"schema":{"type":"string"}},
                              {"name":"dryRun","in":"query","schema":{"type":"boolean"}}],
                "requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/NewVersion"}}}}}},
              "/api/v1/api-keys":{"get":{"parameters":[{"name":"tenant","in":"query","schema":{"type":"string"}}]},
                "post":{"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/NewApiKey"}}}}}}},
             "components":{"schemas":{
              "NewVersion":{"type":"object","required":["version"],"properties":{"version":{"type":"string"},
                 "publishedAt":{"$ref":"#/components/schemas/Instant"},"size":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}}},
              "NewApiKey":{"type":"object","properties":{"name":{"type":"string"},"tenant":{"type":"string"},
                 "roles":{"type":"array","items":{"type":"string","pattern":"viewer|admin"}}}},
              "Instant":{"type":"string","format":"date-time"}}}}
            """;

    private final OpenApi api = new OpenApi(read(DOC));

    @Test
    void theSameSeedGivesTheSameRequests() {
        for (OpenApi.Operation op : api.operations()) {
            List<FuzzCase> first = new Generator(api, World.onPaper(), 42, 60).cases(op);
            List<FuzzCase> second = new Generator(api, World.onPaper(), 42, 60).cases(op);
            assertEquals(first.size(), second.size(), op.key());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).label(), second.get(i).label(), op.key() + " case " + i);
                assertEquals(first.get(i).caller(), second.get(i).caller(), op.key() + " case " + i);
                assertEquals(first.get(i).target(), second.get(i).target(), op.key() + " case " + i);
                assertEquals(first.get(i).headers(), second.get(i).headers(), op.key() + " case " + i);
                assertArrayEquals(first.get(i).body(), second.get(i).body(), op.key() + " case " + i);
            }
        }
    }

    @Test
    void anotherSeedGivesOtherRequests() {
        OpenApi.Operation post = api.operations().stream().filter(o -> o.key().equals("POST /api/v1/sdks/{name}/versions"))
                .findFirst().orElseThrow();
        List<String> a = new Generator(api, World.onPaper(), 1, 30).cases(post).stream().map(FuzzCase::label).toList();
        List<String> b = new Generator(api, World.onPaper(), 2, 30).cases(post).stream().map(FuzzCase::label).toList();
        assertNotEquals(a, b);
    }

    @Test
    void theBudgetBoundsEachOperationAndEveryKindOfMalformationIsTriedFirst() {
        for (OpenApi.Operation op : api.operations()) {
            List<FuzzCase> cases = new Generator(api, World.onPaper(), 7, 25).cases(op);
            assertTrue(cases.size() <= 25, op.key() + ": " + cases.size());
        }
        OpenApi.Operation post = api.operations().stream().filter(o -> o.key().equals("POST /api/v1/sdks/{name}/versions"))
                .findFirst().orElseThrow();
        List<FuzzCase> big = new Generator(api, World.onPaper(), 7, 10_000).cases(post);
        long groups = big.stream().map(FuzzCase::group).distinct().count();
        List<FuzzCase> small = new Generator(api, World.onPaper(), 7, (int) groups + 7).cases(post);
        assertEquals(groups, small.stream().map(FuzzCase::group).distinct().count(),
                "with one request per kind of malformation, every kind is tried");
    }

    @Test
    void privatePathsAndTenantParametersAreProbedAsTheOtherTenants() {
        List<FuzzCase> all = api.operations().stream()
                .flatMap(op -> new Generator(api, World.onPaper(), 3, 40).cases(op).stream()).toList();
        List<FuzzCase> cross = all.stream().filter(FuzzCase::crossTenant).toList();
        assertTrue(cross.stream().anyMatch(c -> c.target().startsWith("/api/v1/sdks/secret-sdk/versions")
                && c.tenant().equals(World.B)), "B on A's secret SDK");
        assertTrue(cross.stream().anyMatch(c -> c.target().contains("tenant=" + World.A) && c.tenant().equals(World.C)));
        assertTrue(cross.stream().anyMatch(c -> new String(c.body()).contains("\"tenant\":\"" + World.A + "\"")));
        assertTrue(cross.stream().noneMatch(c -> c.tenant().equals(World.A)), "cross-tenant cases are never A's own");
        assertTrue(all.stream().filter(c -> !c.crossTenant()).noneMatch(c -> c.target().contains("secret-")),
                "only cross-tenant cases name the secret resources");
    }

    @Test
    void bodyMutationsAreTheRawJsonTheyClaim() {
        OpenApi.Operation post = api.operations().stream().filter(o -> o.key().equals("POST /api/v1/api-keys"))
                .findFirst().orElseThrow();
        List<FuzzCase> cases = new Generator(api, World.onPaper(), 5, 10_000).cases(post);
        assertTrue(cases.stream().anyMatch(c -> new String(c.body()).contains("\"roles\":[null]")), "[null] in an array");
        assertTrue(cases.stream().anyMatch(c -> new String(c.body()).contains("\"a\\u0000b\"")), "an escaped NUL");
        assertTrue(cases.stream().anyMatch(c -> new String(c.body()).matches("\\{\"name\":.*,\"name\":12345}")),
                "a duplicated key");
        OpenApi.Operation version = api.operations().stream().filter(o -> o.key().equals("POST /api/v1/sdks/{name}/versions"))
                .findFirst().orElseThrow();
        List<String> bodies = new Generator(api, World.onPaper(), 5, 10_000).cases(version).stream()
                .map(c -> new String(c.body())).toList();
        assertTrue(bodies.stream().anyMatch(b -> b.contains("\"size\":1e999")), "an overflowing number in a number");
        assertTrue(bodies.contains("{\"version\":\"1.0.0\",\"size\":1e999}"),
                "a field mutation sends the required members and the mutated one only: " + bodies);
        assertTrue(bodies.stream().noneMatch(b -> b.contains("\"version\":1e999")), "numbers go into numbers only");
        assertTrue(bodies.stream().anyMatch(b -> b.contains("\"publishedAt\":\"+1000000000-01-01T00:00:00Z\"")),
                "an overflowing date in a date");
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
