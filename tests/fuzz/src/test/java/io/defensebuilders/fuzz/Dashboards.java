package io.defensebuilders.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.defensebuilders.testing.fleet.Fleet;

/**
 * What operators look at, read from the files the platform ships: the local Prometheus configuration
 * ({@code deploy/grafana/prometheus.yml}) pointed at a test fleet's ports, and the PromQL of every panel of a Grafana
 * dashboard ({@code deploy/grafana/dashboards}) with its template variables put in as Grafana would.
 */
final class Dashboards {

    /** One query of one panel. */
    record Query(String panel, String expr) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Dashboards() {
    }

    /**
     * The shipped scrape configuration with every job's target replaced by the management ports of the fleet's
     * instances of the service of that name (replicas are several targets of one job, as in the chart's
     * ServiceMonitors), scraped and evaluated every {@code interval}, its rule files as absolute paths. Fails when a
     * job names no service of the fleet or a service has no job.
     */
    static String prometheusConfig(Path shipped, Fleet fleet, String interval) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(shipped.toFile());
        ObjectNode global = config.withObject("global");
        global.put("scrape_interval", interval);
        global.put("evaluation_interval", interval);
        ArrayNode rules = config.putArray("rule_files");
        for (JsonNode file : YAML.readTree(shipped.toFile()).path("rule_files")) {
            rules.add(shipped.toAbsolutePath().getParent().resolve(file.asText()).normalize().toString());
        }
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (Fleet.Service s : fleet.services()) {
            targets.computeIfAbsent(s.service(), k -> new ArrayList<>()).add("127.0.0.1:" + s.managementPort());
        }
        TreeSet<String> unscraped = new TreeSet<>(targets.keySet());
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            List<String> ports = targets.get(name);
            if (ports == null) {
                throw new AssertionError(shipped + ": job " + name + " names no service of the fleet " + targets.keySet());
            }
            unscraped.remove(name);
            ArrayNode statics = ((ObjectNode) job).putArray("static_configs");
            ArrayNode list = statics.addObject().putArray("targets");
            ports.forEach(list::add);
        }
        if (!unscraped.isEmpty()) {
            throw new AssertionError(shipped + " scrapes no " + unscraped);
        }
        return YAML.writeValueAsString(config);
    }

    /**
     * Every Prometheus query of every panel of {@code dashboard} (rows' panels included), with {@code $service} and
     * the other multi-value variables as "All" ({@code .*}), and {@code $__rate_interval} as {@code rateInterval}.
     */
    static List<Query> queries(Path dashboard, String rateInterval) throws IOException {
        JsonNode doc = JSON.readTree(dashboard.toFile());
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : doc.path("templating").path("list")) {
            variables.put(variable.path("name").asText(), variable.path("allValue").asText(".*"));
        }
        List<Query> out = new ArrayList<>();
        collect(doc.path("panels"), variables, rateInterval, out);
        return out;
    }

    private static void collect(JsonNode panels, Map<String, String> variables, String rateInterval, List<Query> out) {
        for (JsonNode panel : panels) {
            collect(panel.path("panels"), variables, rateInterval, out);
            for (JsonNode target : panel.path("targets")) {
                if (!target.hasNonNull("expr")) {
                    continue;
                }
                String expr = target.path("expr").asText().replace("$__rate_interval", rateInterval)
                        .replace("$__interval", rateInterval).replace("$__range", rateInterval);
                for (Map.Entry<String, String> v : variables.entrySet()) {
                    expr = expr.replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
                }
                out.add(new Query(panel.path("title").asText(), expr));
            }
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
