package io.defensebuilders.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** One cause reads as one item, and the report never prints an API key. */
class ReportTest {

    private static final String KEY = "dbp_0123456789abcdef_secretsecretsecretsecret";

    private static FuzzCase c(String operation, String label) {
        String path = operation.substring(operation.indexOf(' ') + 1);
        return new FuzzCase(operation, "g", label, World.A, "admin", false, operation.substring(0, operation.indexOf(' ')),
                path, List.of(Map.entry("Authorization", "Bearer " + KEY)), new byte[] { '{', (byte) 0xff, '}' }, false);
    }

    @Test
    void groupsByCauseAcrossOperationsThenByServiceThenByOperation() {
        Report report = new Report(Map.of(KEY, "$KEY_fuzz-a_admin"), "http://127.0.0.1:1");
        for (String op : List.of("GET /api/v1/sdks", "GET /api/v1/publishers", "GET /api/v1/billing/plans",
                "GET /api/v1/orbital/objects", "GET /api/v1/tenants", "GET /api/v1/environments")) {
            report.failed(c(op, "path id = 10,000 chars"), new Checks.Finding("not-problem+json", "Content-Type (none), body "),
                    414);
        }
        for (String op : List.of("POST /api/v1/sdks", "POST /api/v1/publishers", "PATCH /api/v1/sdks/{name}")) {
            report.failed(c(op, "body bare string"), new Checks.Finding("names-internals",
                    "'io.defensebuilders.registry.api.X' in " + op), 400);
        }
        report.failed(c("POST /api/v1/api-keys", "body roles = [null]"), new Checks.Finding("5xx", "500 {}"), 500);
        String text = report.render();
        assertEquals(3, report.groups(), text);
        assertTrue(text.contains("ANY OPERATION (6 of them)  [not-problem+json] 10,000 chars -> 414"), text);
        assertTrue(text.contains("sdk-registry, 3 operations  [names-internals] body of the wrong JSON shape"), text);
        assertTrue(text.contains("POST /api/v1/api-keys  [5xx]"), text);
        assertFalse(text.contains(KEY), "keys are shown by name only");
        assertTrue(text.contains("$KEY_fuzz-a_admin") && text.contains("{\\xff}"), text);
    }
}
