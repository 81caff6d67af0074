package io.defensebuilders.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The gateway benchmark: the same backend called directly, through the gateway (API key authentication, two Redis
 * token buckets, internal JWT minting, access log and usage event per request), and through nginx as a plain reverse
 * proxy. Measures latency at a fixed rate (open loop) and maximum throughput (wrk, closed loop).
 *
 * <pre>
 * GatewayBench --backend 18081 --gateway 18080 --nginx 18082 --bare 18083 --key-file F [--rate 2000] [--seconds 20]
 *     [--settle 60] [--turn-ms 0]
 * </pre>
 */
public final class GatewayBench {

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Args.parse(args);
        int backend = Integer.parseInt(o.getOrDefault("backend", "18081"));
        int gateway = Integer.parseInt(o.getOrDefault("gateway", "18080"));
        int nginx = Integer.parseInt(o.getOrDefault("nginx", "18082"));
        int bare = Integer.parseInt(o.getOrDefault("bare", "18083"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        String adminKey = Files.readString(Path.of(o.get("key-file"))).trim();
        ObjectMapper json = new ObjectMapper();

        // a tenant on the benchmark plan (limits far above what one machine can send) and a key of it
        HttpClient http = HttpClient.newHttpClient();
        String tenant = "bench-gateway";
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/v1/tenants"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                        .ofString("{\"id\":\"" + tenant + "\",\"name\":\"Gateway bench\",\"plan\":\"bench\"}"))
                .build(), HttpResponse.BodyHandlers.discarding());
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/v1/tenants/" + tenant))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"plan\":\"bench\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> created = http
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/v1/api-keys"))
                        .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers
                                .ofString("{\"name\":\"bench\",\"roles\":[\"viewer\"],\"tenant\":\"" + tenant + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        String key = (String) json.readValue(created.body(), Map.class).get("secret");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
        String path = "/api/v1/bench/items";

        // the gateway must answer, on the benchmark plan, before anything is measured
        HttpResponse<String> probe = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() != 200 || !probe.headers().firstValue("RateLimit-Policy").orElse("").contains("\"bench-")) {
            throw new IllegalStateException("the gateway answered " + probe.statusCode() + " " + probe.headers().map()
                    + " " + probe.body());
        }

        // what the host takes from this machine's CPUs, before and after: on a shared virtual machine its gaps land
        // on the calls measured, more often the more CPU a target makes the machine use
        int cpus = Runtime.getRuntime().availableProcessors();
        List<HostStalls.Result> hostStalls = new ArrayList<>(List.of(HostStalls.measure(cpus, 5), HostStalls.measure(1, 5)));

        // the JVMs warm up first (JIT): a short closed-loop run against each target, then the fixed rate itself, not
        // measured. The gateway's compiled code settles only after about a minute of traffic on two cores (its C2
        // compiler thread still used ~2.3 s of CPU in a 15 s window after 10 s of wrk, 0.16 s after 70 s; event-loop
        // CPU per call fell from ~200 to ~72 µs meanwhile), and a long-running gateway is measured, not one starting.
        wrk(backend, path, null, 10);
        wrk(gateway, path, key, 10);
        wrk(nginx, path, null, 10);
        wrk(bare, path, null, 10);
        int settle = Integer.parseInt(o.getOrDefault("settle", "60"));
        FixedRate.run(new FixedRate.Target("gateway warm-up", gateway, path, auth), rate, settle, 0);
        FixedRate.run(new FixedRate.Target("direct warm-up", backend, path, Map.of()), rate, 10, 0);
        FixedRate.run(new FixedRate.Target("nginx warm-up", nginx, path, Map.of()), rate, 10, 0);

        // three rounds, the targets one after the other in each, so a noisy moment of the machine hits one run, not one
        // target; or, with --turn-ms, the targets taking turns of that length within one schedule (the machine's slow
        // minutes then fall on all alike, but each target sees bursts with pauses between, not a steady rate)
        int turnMillis = Integer.parseInt(o.getOrDefault("turn-ms", "0"));
        List<FixedRate.Target> targets = List.of(new FixedRate.Target("direct", backend, path, Map.of()),
                new FixedRate.Target("gateway (auth + limits)", gateway, path, auth),
                new FixedRate.Target("nginx", nginx, path, Map.of()));
        List<FixedRate.Result> rounds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            if (turnMillis > 0) {
                rounds.addAll(FixedRate.turns(targets, rate, seconds, 3, turnMillis));
            } else {
                for (FixedRate.Target target : targets) {
                    rounds.add(FixedRate.run(target, rate, seconds, 3));
                }
            }
        }
        List<FixedRate.Result> latency = new ArrayList<>();
        for (String target : List.of("direct", "gateway (auth + limits)", "nginx")) {
            latency.add(FixedRate.median(rounds.stream().filter(r -> r.target().equals(target)).toList()));
        }

        hostStalls.add(HostStalls.measure(cpus, 5));
        hostStalls.add(HostStalls.measure(1, 5));

        Map<String, Double> throughput = new LinkedHashMap<>();
        throughput.put("direct", wrk(backend, path, null, 15));
        throughput.put("gateway (auth + limits)", wrk(gateway, path, key, 15));
        throughput.put("nginx", wrk(nginx, path, null, 15));
        throughput.put("bare Vert.x proxy (reference)", wrk(bare, path, null, 15));

        System.out.println();
        System.out.println("Latency at a fixed " + rate + " req/s (open loop; median of 3 rounds, each 3 s of warm-up, then "
                + seconds + " s per target, " + (turnMillis > 0 ? "the targets taking turns of " + turnMillis + " ms):"
                        : "the targets one after the other):"));
        System.out.println(FixedRate.Result.header());
        rounds.forEach(r -> System.out.println(r.row()));
        System.out.println("medians:");
        System.out.println(FixedRate.Result.header());
        latency.forEach(r -> System.out.println(r.row()));
        latency.stream().filter(r -> r.errors() > 0).forEach(r -> System.out.println("  " + r.target() + " statuses: "
                + r.statuses()));
        System.out.println();
        System.out.println("CPU time the host took (bench/README.md), before and after the latency rounds:");
        hostStalls.forEach(r -> System.out.println("  " + r.line()));
        System.out.println();
        System.out.println("Maximum throughput (wrk, 2 threads, 64 connections, 15 s):");
        throughput.forEach((k, v) -> System.out.printf("  %-24s %10.0f req/s%n", k, v));
        double addedP99 = latency.get(1).p99() - latency.get(0).p99();
        double share = throughput.get("gateway (auth + limits)") / throughput.get("nginx");
        System.out.printf("%ngateway adds %.2f ms at p99 over direct (goal <= 2 ms); its maximum is %.0f%% of nginx's "
                + "(goal >= 50%%)%n", addedP99, share * 100);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("at", Instant.now().toString());
        report.put("rate", rate);
        report.put("latency", latency);
        report.put("rounds", rounds);
        report.put("throughput", throughput);
        report.put("hostStalls", hostStalls);
        report.put("gatewayAddedP99Ms", addedP99);
        report.put("gatewayShareOfNginx", share);
        Path out = Path.of(o.getOrDefault("out", "bench/results"));
        Files.createDirectories(out);
        Path file = out.resolve("gateway-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        System.out.println("written to " + file);
        System.exit(0);
    }

    /**
     * Successful answers per second from wrk against 127.0.0.1:port: wrk counts every answer, so non-2xx answers (a
     * 401 or 429 is cheaper than a proxied call) are taken out of its total.
     */
    private static double wrk(int port, String path, String key, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c64", "-d" + seconds + "s", "--latency"));
        if (key != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + key));
        }
        command.add("http://127.0.0.1:" + port + path);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        long requests = -1;
        long failed = 0;
        double elapsed = 0;
        StringBuilder all = new StringBuilder();
        java.util.regex.Pattern total = java.util.regex.Pattern.compile("^\\s*(\\d+) requests in ([0-9.]+)(ms|s|m)");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                var m = total.matcher(line);
                if (m.find()) {
                    requests = Long.parseLong(m.group(1));
                    double value = Double.parseDouble(m.group(2));
                    elapsed = switch (m.group(3)) {
                        case "ms" -> value / 1000;
                        case "m" -> value * 60;
                        default -> value;
                    };
                }
                if (line.contains("Non-2xx")) {
                    failed = Long.parseLong(line.substring(line.lastIndexOf(':') + 1).trim());
                    System.out.println("wrk on " + port + ": " + line.trim() + " (not counted)");
                }
            }
        }
        p.waitFor();
        if (requests < 0 || elapsed <= 0) {
            throw new IllegalStateException("wrk printed no total:\n" + all);
        }
        return (requests - failed) / elapsed;
    }
}
