package io.defensebuilders.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboards of deploy/grafana (what the chart ships as ConfigMaps): the per-service ones are what
 * deploy/grafana/services.mjs writes, every dashboard type-checks against Grafana's own schema (validate.sh, where
 * .ci/run has installed @grafana/schema and TypeScript into {@code GRAFANA_VALIDATE_DIR}), and every dashboard is
 * reachable from every other. Whether their queries answer is tests/fuzz's part (a real Prometheus on the fleet).
 */
class DashboardsTest {

    private static final Path DIR = Chart.REPO.resolve("deploy/grafana");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServiceDashboardsAreWhatTheirGeneratorWrites() throws Exception {
        String out = run(List.of("node", DIR.resolve("services.mjs").toString(), "--check"), Map.of());
        assertTrue(out.contains("8 service dashboards match"), out);
    }

    @Test
    void everyDashboardTypeChecksAgainstGrafanasSchema() throws Exception {
        String prepared = System.getenv("GRAFANA_VALIDATE_DIR");
        Assumptions.assumeTrue(prepared != null && Files.isDirectory(Path.of(prepared, "node_modules", "@grafana", "schema")),
                "GRAFANA_VALIDATE_DIR has no @grafana/schema (.ci/run installs it)");
        String out = run(List.of("bash", DIR.resolve("validate.sh").toString()), Map.of("GRAFANA_VALIDATE_DIR", prepared));
        try (var files = Files.list(DIR.resolve("dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String name = f.getFileName().toString().replace(".json", "");
                assertTrue(out.contains("OK   " + name + ":"), name + " not checked:\n" + out);
            }
        }
    }

    @Test
    void everyServiceHasADashboardThatLinksToTheOthersAndTheFleetLinksToThem() throws Exception {
        TreeSet<String> services = new TreeSet<>();
        for (String line : Files.readAllLines(Chart.REPO.resolve("deploy/local/services.conf"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                services.add(line.trim().split("\\s+")[0]);
            }
        }
        for (String service : services) {
            JsonNode d = JSON.readTree(DIR.resolve("dashboards/" + service + ".json").toFile());
            assertEquals("dbp-" + service, d.path("uid").asText());
            List<String> tags = new ArrayList<>();
            d.path("tags").forEach(t -> tags.add(t.asText()));
            assertTrue(tags.containsAll(List.of("defense-builders", "service")), service + " " + tags);
            assertTrue(d.path("links").toString().contains("/d/dbp-fleet"), service + " links to the fleet");
            assertTrue(d.path("links").toString().contains("\"asDropdown\":true"), service + " lists the others");
            // the latency panels carry exemplars (the call's trace), and there is a service level row
            assertTrue(d.toString().contains("\"exemplar\":true"), service + " has no exemplars");
            assertTrue(d.toString().contains("dbp:gateway_requests:error_ratio_rate1h"), service + " has no SLO burn rate");
        }
        JsonNode fleet = JSON.readTree(DIR.resolve("dashboards/fleet.json").toFile());
        assertTrue(fleet.toString().contains("/d/dbp-${__field.labels.job}"), "the fleet's panels open a service's");
        assertTrue(fleet.path("links").toString().contains("\"service\""), "the fleet lists the service dashboards");
    }

    private static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Chart.REPO.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (java.io.IOException e) {
            Assumptions.abort(command.get(0) + " is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
