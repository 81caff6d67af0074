package io.defensebuilders.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases sent once per run rather than per operation: requests without a Host header (raw socket; HTTP/1.1
 * requires one), and per service one 20 MB body to an operation whose body limit is lower.
 */
final class Specials {

    /** Public path prefixes of each service (docs/architecture.md). */
    static final Map<String, List<String>> PREFIXES = new LinkedHashMap<>();

    static {
        PREFIXES.put("gateway", List.of("/api/v1/tenants", "/api/v1/api-keys", "/api/v1/gateway"));
        PREFIXES.put("sdk-registry", List.of("/api/v1/sdks", "/api/v1/publishers"));
        PREFIXES.put("billing", List.of("/api/v1/billing"));
        PREFIXES.put("orbital", List.of("/api/v1/orbital"));
        PREFIXES.put("analytics", List.of("/api/v1/analytics"));
        PREFIXES.put("environment-manager", List.of("/api/v1/environments"));
    }

    private static final int HUGE = 20 * 1024 * 1024;

    private Specials() {
    }

    static List<FuzzCase> cases(List<OpenApi.Operation> operations, World world) {
        List<FuzzCase> out = new ArrayList<>();
        String viewer = world.key(World.A, "viewer");
        out.add(new FuzzCase("GET /api/v1/sdks", "no Host", "no Host header, with an API key", World.A, "viewer", false,
                "GET", "/api/v1/sdks", List.of(Map.entry("Authorization", "Bearer " + viewer), Map.entry("Accept", "*/*")),
                null, true));
        out.add(new FuzzCase("GET /api/v1/tenants", "no Host", "no Host header, no credentials", null, null, false,
                "GET", "/api/v1/tenants", List.of(Map.entry("Accept", "*/*")), null, true));
        byte[] huge = huge();
        for (Map.Entry<String, List<String>> service : PREFIXES.entrySet()) {
            operations.stream()
                    .filter(op -> op.body().isPresent() && Generator.isJson(op.body().get().mediaType()))
                    .filter(op -> !op.path().contains("{") && op.method().equals("POST"))
                    .filter(op -> service.getValue().stream().anyMatch(p -> op.path().startsWith(p)))
                    .findFirst()
                    .ifPresent(op -> out.add(new FuzzCase(op.key(), "20 MB body", "20 MB JSON body (" + service.getKey()
                            + ")", World.A, "admin", false, op.method(), op.path(),
                            List.of(Map.entry("Authorization", "Bearer " + world.key(World.A, "admin")),
                                    Map.entry("Accept", "*/*"), Map.entry("Content-Type", "application/json")),
                            huge, false)));
        }
        return out;
    }

    private static byte[] huge() {
        byte[] body = new byte[HUGE];
        byte[] head = "{\"name\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, body, 0, head.length);
        java.util.Arrays.fill(body, head.length, HUGE - 2, (byte) 'a');
        body[HUGE - 2] = '"';
        body[HUGE - 1] = '}';
        return body;
    }
}
