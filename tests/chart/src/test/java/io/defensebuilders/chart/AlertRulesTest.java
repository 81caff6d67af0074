package io.defensebuilders.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The platform's Prometheus rules (deploy/prometheus/defense-builders.rules.yml), checked by Prometheus' own promtool:
 * {@code check rules}, and {@code test rules} with a case for every alert firing and one staying silent; the chart's
 * PrometheusRule is that file narrowed to the release's namespace; every alert's runbook is a section of
 * docs/operations.md.
 */
class AlertRulesTest {

    private static final Path DIR = Chart.REPO.resolve("deploy/prometheus");
    private static final Path RULES = DIR.resolve("defense-builders.rules.yml");
    private static final List<Path> TESTS = List.of(DIR.resolve("defense-builders.test.yml"),
            DIR.resolve("defense-builders.days.test.yml"));

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void theLocalPrometheusConfigScrapesEveryServiceAndLoadsTheRules() throws Exception {
        Path config = Chart.REPO.resolve("deploy/grafana/prometheus.yml");
        String out = promtool("check", "config", config.toString());
        assertTrue(out.contains("SUCCESS") && out.contains("defense-builders.rules.yml"), out);
        Set<String> jobs = new TreeSet<>();
        Chart.YAML.readTree(config.toFile()).path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
        Set<String> services = new TreeSet<>();
        for (String line : Files.readAllLines(Chart.REPO.resolve("deploy/local/services.conf"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                services.add(line.trim().split("\\s+")[0]);
            }
        }
        assertEquals(services, jobs);
    }

    @Test
    void everyAlertFiresAndStaysSilentInPromtoolsUnitTests() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        TESTS.forEach(t -> args.add(t.toString()));
        String out = promtool(args.toArray(String[]::new));
        assertFalse(out.contains("FAILED"), out);
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Path file : TESTS) {
            for (JsonNode test : Chart.YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    (check.path("exp_alerts").isEmpty() ? silent : fires).add(check.path("alertname").asText());
                }
            }
        }
        Set<String> alerts = alerts();
        assertEquals(alerts, fires, "alerts without a test where they fire");
        assertEquals(alerts, silent, "alerts without a test where they stay silent");
    }

    @Test
    void theChartShipsTheRulesForItsNamespace() throws Exception {
        List<JsonNode> objects = Chart.render(Chart.values("external"), "monitoring.prometheusRule", "true");
        JsonNode spec = Chart.one(objects, "PrometheusRule", "defense-builders").path("spec");
        String expected = Files.readString(RULES).replace("namespace=~\".*\"", "namespace=\"" + Chart.NAMESPACE + "\"");
        assertEquals(Chart.YAML.readTree(expected), spec);
        assertFalse(spec.toString().contains("namespace=~"), "a rule of the chart reads other namespaces");
        // and what the chart renders is a rules file promtool accepts
        Path rendered = Files.createTempFile("dbp-rules-", ".yml");
        Chart.YAML.writeValue(rendered.toFile(), spec);
        assertTrue(promtool("check", "rules", rendered.toString()).contains("SUCCESS"));
    }

    @Test
    void everyAlertHasARunbookSectionInTheOperationsGuide() throws Exception {
        String guide = Files.readString(Chart.REPO.resolve("docs/operations.md"));
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#+ (.+)$").matcher(guide);
        while (heading.find()) {
            anchors.add(heading.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
        }
        List<String> missing = new ArrayList<>();
        for (JsonNode group : Chart.YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    String runbook = rule.path("annotations").path("runbook").asText();
                    String anchor = runbook.startsWith("docs/operations.md#") ? runbook.substring(runbook.indexOf('#') + 1)
                            : "";
                    if (!anchors.contains(anchor) || !guide.contains(rule.path("alert").asText())) {
                        missing.add(rule.path("alert").asText() + " -> " + runbook);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "alerts whose runbook is not a section of docs/operations.md naming them");
    }

    private static Set<String> alerts() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : Chart.YAML.readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(r -> {
                if (r.has("alert")) {
                    alerts.add(r.path("alert").asText());
                }
            });
        }
        assertFalse(alerts.isEmpty());
        return alerts;
    }

    /** promtool's output (stdout and stderr); skipped where Prometheus' Debian package is not installed. */
    private static String promtool(String... args) throws Exception {
        String promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                promtool = Path.of(dir, "promtool").toString();
                break;
            }
        }
        Assumptions.assumeTrue(promtool != null, "no promtool on PATH (.ci/run installs Debian's prometheus)");
        List<String> command = new ArrayList<>(List.of(promtool));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
