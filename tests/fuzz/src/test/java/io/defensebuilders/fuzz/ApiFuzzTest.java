package io.defensebuilders.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.fleet.Fleet;
import io.defensebuilders.testing.http.RawHttp;
import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.PrometheusServer;

/**
 * Issue 15, "a guard that stays": the whole platform from its packaged jars, walked through the gateway operation by
 * operation from the merged OpenAPI document, with malformed path and query parameters, bodies and headers, as every
 * role of three tenants. Fails, once, with a grouped report (also written to {@code target/fuzz-report.txt}, and
 * every request with its status to {@code target/fuzz-requests.tsv}) when
 * any answer is a 5xx, a 4xx that is not problem+json, a body naming Java classes, SQL, Jackson internals or a secret,
 * a cross-tenant success, or no answer within the timeout.
 *
 * <p>
 * Knobs (system properties, also settable on the Maven command line): {@code fuzz.seed} (same seed, same
 * requests), {@code fuzz.budget} (requests per operation, the mandatory ones included), {@code fuzz.threads}
 * (operations fuzzed at once), {@code fuzz.timeout} (seconds per request), {@code fuzz.minutes} (the most the
 * setup and fuzzing may take; cases left unsent then are one failure), {@code fuzz.only} (a regex over
 * "METHOD /path" to fuzz only some operations).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiFuzzTest {

    private static final long DEFAULT_SEED = 20261204L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line per request: operation, kind, case, caller, status, verdict, time. */
    private static final java.util.Queue<String> LOG = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static KubeApi kube;
    private static Fleet fleet;
    private static long fleetMillis;
    /** Debian's Prometheus scraping the fleet from its start, where the package is installed. */
    private static PrometheusServer prometheus;
    /** Where every service of the fleet exports its spans (OTLP/HTTP). */
    private static TraceReceiver traces;

    @BeforeAll
    static void startPlatform() {
        long start = System.nanoTime();
        Path repo = repo();
        kube = KubeApi.start(repo);
        try {
            traces = new TraceReceiver();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fleet = Fleet.start(repo, Path.of("target/fuzz-fleet").toAbsolutePath(), withEveryService(traces.environment(), Map.of(
                "environment-manager", Map.of("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", kube.url()),
                // every case comes from 127.0.0.1, hundreds with bad credentials on purpose: the failed-authentication
                // throttle would answer the rest of the run 429 (AuthThrottleTest is where it is tested)
                "gateway", Map.of("DBP_GATEWAY_AUTH_THROTTLE_ADDRESS_BURST", "100000000",
                        "DBP_GATEWAY_AUTH_THROTTLE_ADDRESS_PER_MINUTE", "100000000",
                        "DBP_GATEWAY_AUTH_THROTTLE_KEY_BURST", "100000000", "DBP_GATEWAY_AUTH_THROTTLE_KEY_PER_MINUTE",
                        "100000000"),
                // invoices for A's backdated subscription within seconds, issued at once (World)
                "billing", Map.of("DBP_BILLING_INVOICING_EVERY", "2s", "DBP_BILLING_INVOICING_FIRST_RUN_AFTER", "1s",
                        "DBP_BILLING_INVOICING_GRACE", "1s"))));
        fleetMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[fuzz] fleet ready in %.1f s, gateway on port %d%n", fleetMillis / 1000.0, fleet.gatewayPort());
        java.util.Optional<Path> binary = PrometheusServer.binary();
        if (binary.isPresent()) {
            try {
                Path work = Path.of("target/prometheus").toAbsolutePath();
                Path config = work.resolve("prometheus.yml");
                Dashboards.write(config, Dashboards.prometheusConfig(repo.resolve("deploy/grafana/prometheus.yml"),
                        fleet, "1s"));
                prometheus = PrometheusServer.start(binary.get(), config, work.resolve("data"), Ports.free(), false);
                System.out.println("[fuzz] Prometheus scraping the fleet every second at " + prometheus.url());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @AfterAll
    static void stopPlatform() {
        if (prometheus != null) {
            prometheus.stop();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    @Test
    void everyOperationAnswersMalformedInputWithProblemsAndKeepsTenantsApart() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int budget = Integer.getInteger("fuzz.budget", 200);
        int threads = Integer.getInteger("fuzz.threads", 4);
        Duration timeout = Duration.ofSeconds(Long.getLong("fuzz.timeout", 30));
        String only = System.getProperty("fuzz.only", "");
        System.out.printf("[fuzz] seed %d (-Dfuzz.seed), budget %d requests per operation (-Dfuzz.budget), %d threads%n",
                seed, budget, threads);
        long start = System.nanoTime();

        RawHttp http = new RawHttp("127.0.0.1", fleet.gatewayPort(), timeout);
        World world = World.seed(http, fleet.bootstrapKey());
        JsonNode doc = openApi(http);
        List<OpenApi.Operation> operations = new OpenApi(doc).operations().stream()
                .filter(op -> only.isBlank() || op.key().matches(only)).toList();
        assertTrue(operations.size() > 0, "the merged OpenAPI document lists no operation");

        Generator generator = new Generator(new OpenApi(doc), world, seed, budget);
        Map<OpenApi.Operation, List<FuzzCase>> plan = new LinkedHashMap<>();
        for (OpenApi.Operation op : operations) {
            plan.put(op, generator.cases(op));
        }
        List<FuzzCase> once = Specials.cases(operations, world);

        Map<String, String> keyNames = new LinkedHashMap<>();
        world.keys.forEach((tenant, roles) -> roles.forEach((role, key) -> keyNames.put(key, "$KEY_" + tenant + "_" + role)));
        Report report = new Report(keyNames, "http://127.0.0.1:" + fleet.gatewayPort());
        Checks checks = new Checks(List.of(fleet.signingKeyEncryptionKey()), world.secretMarkers());

        // deletions last, so that they do not take away what the other operations' cases name
        List<List<FuzzCase>> first = new ArrayList<>();
        List<List<FuzzCase>> last = new ArrayList<>();
        plan.forEach((op, cases) -> (op.method().equals("DELETE") ? last : first).add(cases));
        first.add(once);
        // bounded whatever the platform does: cases not sent by then are one failure, not hours of timeouts
        long deadline = start + Duration.ofMinutes(Long.getLong("fuzz.minutes", 10)).toNanos();
        int skipped = runAll(first, threads, http, checks, report, deadline)
                + runAll(last, threads, http, checks, report, deadline);
        if (skipped > 0) {
            report.failed(once.get(0), new Checks.Finding("deadline", skipped + " cases not sent: the run passed "
                    + "fuzz.minutes (" + Long.getLong("fuzz.minutes", 10) + ")"), 0);
        }

        long fuzzMillis = (System.nanoTime() - start) / 1_000_000;
        StringBuilder summary = new StringBuilder();
        summary.append(String.format(
                "API fuzz: seed %d, budget %d, %d operations, %d requests, %d failing answers in %d groups;"
                        + " fleet start %.1f s, setup and fuzzing %.1f s%n",
                seed, budget, operations.size(), report.requests(),
                report.countsByKind().values().stream().mapToInt(Integer::intValue).sum(), report.groups(),
                fleetMillis / 1000.0, fuzzMillis / 1000.0));
        summary.append(String.format("cross-tenant probes: %d (as tenants B and C, on A's private resources)%n",
                plan.values().stream().flatMap(List::stream).filter(FuzzCase::crossTenant).count()));
        summary.append("failures by kind: ").append(report.countsByKind()).append('\n');
        summary.append("tenant A's resources: own ").append(world.own).append(", secret (cross-tenant probes only) ")
                .append(world.secret).append('\n');
        world.notes.forEach(n -> summary.append("note: ").append(n).append('\n'));
        String text = summary + report.render();
        Files.writeString(Path.of("target/fuzz-report.txt"), text, StandardCharsets.UTF_8);
        List<String> log = new ArrayList<>(LOG);
        java.util.Collections.sort(log);
        Files.write(Path.of("target/fuzz-requests.tsv"), log, StandardCharsets.UTF_8);
        System.out.println("[fuzz] " + summary.toString().trim().replace("\n", "\n[fuzz] "));
        // a run answered mostly "slow down" tested nothing behind the gateway's door
        long throttled = log.stream().filter(line -> line.split("\t", -1)[4].equals("429")).count();
        if (throttled * 100 > (long) log.size()) {
            fail("the run was throttled: " + throttled + " of " + log.size() + " answers were 429, so the cases behind"
                    + " them reached no service (target/fuzz-requests.tsv)");
        }
        if (!report.clean()) {
            fail("the API fuzz found failures (report also in target/fuzz-report.txt; repeat with -Dfuzz.seed=" + seed
                    + "):\n" + text);
        }
    }

    /** Runs each list's cases in order, lists in parallel; answers how many cases the deadline left unsent. */
    private static int runAll(List<List<FuzzCase>> work, int threads, RawHttp http, Checks checks, Report report,
            long deadline) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        java.util.concurrent.atomic.AtomicInteger skipped = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<FuzzCase> cases : work) {
                done.add(pool.submit(() -> {
                    for (FuzzCase c : cases) {
                        if (System.nanoTime() > deadline) {
                            skipped.incrementAndGet();
                            continue;
                        }
                        run(c, http, checks, report);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return skipped.get();
    }

    private static void run(FuzzCase c, RawHttp http, Checks checks, Report report) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (!c.noHost()) {
            headers.add(Map.entry("Host", "127.0.0.1"));
        }
        headers.addAll(c.headers());
        headers.add(Map.entry("Connection", "close"));
        if (c.body().length > 0 || List.of("POST", "PUT", "PATCH").contains(c.method())) {
            headers.add(Map.entry("Content-Length", Integer.toString(c.body().length)));
        }
        report.requested();
        RawHttp.Answer answer;
        try {
            answer = http.send(new RawHttp.Request(c.method(), c.target(), headers, c.body()));
        } catch (IOException e) {
            report.failed(c, new Checks.Finding("no-answer", e.toString()), 0);
            LOG.add(String.join("\t", c.operation(), c.group(), Checks.clean(c.label()), c.caller(), "-", "no-answer", ""));
            return;
        }
        List<Checks.Finding> findings = checks.check(c, answer);
        for (Checks.Finding f : findings) {
            report.failed(c, f, answer.status());
        }
        LOG.add(String.join("\t", c.operation(), c.group(), Checks.clean(c.label()), c.caller(),
                Integer.toString(answer.status()), findings.isEmpty() ? "ok"
                        : String.join(",",
                                findings.stream().map(Checks.Finding::kind).distinct().toList()),
                answer.millis() + " ms"));
    }

    private static JsonNode openApi(RawHttp http) throws IOException {
        RawHttp.Answer a = http.send(new RawHttp.Request("GET", "/openapi.json",
                List.of(Map.entry("Host", "127.0.0.1"), Map.entry("Accept", "application/json"),
                        Map.entry("Connection", "close")),
                null));
        if (a.status() != 200) {
            fail("GET /openapi.json answered " + a.status() + ": " + a.text());
        }
        JsonNode doc = JSON.readTree(a.body());
        for (JsonNode missing : doc.path("x-unavailable-services")) {
            if (Fleet.SERVICES.contains(missing.asText())) {
                fail("the merged OpenAPI document lacks " + missing.asText() + " (x-unavailable-services)");
            }
        }
        return doc;
    }

    /**
     * The platform as an AI coding assistant meets it: the official TypeScript MCP SDK (libs/testing McpNodeClient)
     * at the gateway's {@code /mcp} with an API key, as the ai-tools README tells a newcomer to configure Claude Code
     * or VS Code, and the tools answering from the real services. Here because this suite's fleet is the whole
     * platform: one fleet start on two cores.
     */
    @Test
    void anAssistantWorksThePlatformThroughTheGatewayWithAnApiKey() throws Exception {
        java.util.Optional<Path> modules = io.defensebuilders.testing.mcp.McpNodeClient.modules();
        org.junit.jupiter.api.Assumptions.assumeTrue(modules.isPresent(),
                "DBP_NODE_CLIENTS names no node_modules with @modelcontextprotocol/sdk (.ci/run installs it)");
        var http = java.net.http.HttpClient.newHttpClient();
        String gateway = "http://127.0.0.1:" + fleet.gatewayPort();
        String tenant = "mcp-" + Long.toString(System.nanoTime(), 36);
        java.util.function.BiFunction<String, String, JsonNode> post = (path, json) -> created(http, fleet.bootstrapKey(),
                path, json, Map.of());
        post.apply("/api/v1/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"MCP\",\"plan\":\"enterprise\"}");
        String key = post.apply("/api/v1/api-keys", "{\"name\":\"assistant\",\"roles\":[\"builder\"],\"tenant\":\""
                + tenant + "\"}").path("secret").asText();

        JsonNode seen = io.defensebuilders.testing.mcp.McpNodeClient.run(modules.get(), gateway + "/mcp", key,
                Map.of("calls", List.of(
                        Map.of("name", "search_sdks", "arguments", Map.of("query", "tak")),
                        Map.of("name", "list_environments", "arguments", Map.of()),
                        Map.of("name", "list_models", "arguments", Map.of()),
                        Map.of("name", "list_invoices", "arguments", Map.of()),
                        Map.of("name", "query_analytics", "arguments", Map.of("metrics", List.of("events"),
                                "dateRange", "24h")))));

        org.junit.jupiter.api.Assertions.assertEquals(401, seen.path("unauthenticated").path("code").asInt(),
                seen.toString());
        org.junit.jupiter.api.Assertions.assertEquals("2025-11-25", seen.path("protocolVersion").asText());
        for (JsonNode call : seen.path("calls")) {
            assertTrue(!call.has("thrown") && !call.path("isError").asBoolean(), call.toString());
        }
        // the platform's public models, as the caller's tenant sees them
        assertTrue(seen.path("calls").path(2).path("structuredContent").path("items").size() > 0, seen.toString());
    }

    /**
     * A GitHub release, delivered to the gateway's open path as GitHub would (no platform credential, signed with the
     * integration's secret), published as a version of the linked SDK by ai-tools acting as the tenant: its token
     * minted by the real gateway for ai-tools' own service key (the fleet hands it out as the chart does).
     */
    @Test
    void aGitHubReleaseDeliveredThroughTheGatewayPublishesTheSdkAsTheTenant() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String gateway = "http://127.0.0.1:" + fleet.gatewayPort();
        String tenant = "gh-" + Long.toString(System.nanoTime(), 36);
        String[] key = { fleet.bootstrapKey() };
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> call = (path, json) -> {
            try {
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + path))
                        .header("Authorization", "Bearer " + key[0]).header("Content-Type", "application/json");
                return http.send((json == null ? request.GET()
                        : request.POST(java.net.http.HttpRequest.BodyPublishers
                                .ofString(json)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        java.util.function.BiFunction<String, String, JsonNode> created = (path, json) -> {
            var response = call.apply(path, json);
            assertTrue(response.statusCode() == 201, path + ": " + response.statusCode() + " " + response.body());
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        created.apply("/api/v1/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"GitHub\",\"plan\":\"pro\"}");
        key[0] = created.apply("/api/v1/api-keys", "{\"name\":\"ci\",\"roles\":[\"publisher\"],\"tenant\":\""
                + tenant + "\"}").path("secret").asText();
        created.apply("/api/v1/publishers", "{\"name\":\"" + tenant + "-pub\",\"displayName\":\"Pub\"}");
        created.apply("/api/v1/sdks", "{\"name\":\"" + tenant + "-sdk\",\"publisher\":\"" + tenant
                + "-pub\",\"title\":\"GitHub-released SDK\",\"license\":\"MIT\",\"visibility\":\"private\"}");
        JsonNode link = created.apply("/api/v1/integrations/github", "{\"repository\":\"acme/" + tenant
                + "\",\"sdk\":\"" + tenant + "-sdk\"}");
        String hook = link.path("webhookUrl").asText();
        assertTrue(hook.equals(gateway + "/api/v1/integrations/hooks/github/" + link.path("id").asText()), hook);

        byte[] release = JSON.writeValueAsBytes(Map.of("action", "published", "release", Map.of("tag_name", "v0.9.0",
                "draft", false, "prerelease", false, "body", "First release from GitHub"), "repository",
                Map.of("full_name", "acme/" + tenant), "sender", Map.of("login", "octocat")));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(link.path("secret").asText().getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        var delivered = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hook))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "release")
                .header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(release)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(release)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(202, delivered.statusCode(), delivered.body());

        String deliveries = "/api/v1/integrations/" + link.path("id").asText() + "/deliveries";
        JsonNode outcome = null;
        for (int i = 0; i < 120 && (outcome == null || outcome.path("status").asText().equals("pending")); i++) {
            Thread.sleep(500);
            outcome = JSON.readTree(call.apply(deliveries, null).body()).path(0);
        }
        org.junit.jupiter.api.Assertions.assertEquals("done", outcome.path("status").asText(), outcome.toString());
        var version = call.apply("/api/v1/sdks/" + tenant + "-sdk/versions/0.9.0", null);
        org.junit.jupiter.api.Assertions.assertEquals(200, version.statusCode(), version.body());
        org.junit.jupiter.api.Assertions.assertEquals("First release from GitHub", JSON.readTree(version.body())
                .path("readme").asText());
    }

    /**
     * Issue 22: what operators see is real. Last, after the fuzzing and the journeys have driven traffic through every
     * service: a real Prometheus (Debian's package) has scraped the fleet every second with the shipped configuration
     * (deploy/grafana/prometheus.yml, ports swapped for the fleet's) and evaluated the shipped rules; every target is
     * up, every rule evaluates without error, and every PromQL query of every panel of every dashboard (the fleet and
     * each service's) parses and answers at least one series ($service and $instance as All, $__rate_interval as 30 s):
     * a panel that would be empty fails.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyDashboardQueryAnswersSeriesFromTheRunningFleet() throws Exception {
        Assumptions.assumeTrue(prometheus != null, "no prometheus on PATH (.ci/run installs Debian's package)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> problems = new ArrayList<>();
        do {
            problems.clear();
            for (JsonNode target : JSON.readTree(prometheus.get("/api/v1/targets")).path("data").path("activeTargets")) {
                if (!target.path("health").asText().equals("up")) {
                    problems.add("target " + target.path("scrapeUrl").asText() + " is " + target.path("health").asText()
                            + ": " + target.path("lastError").asText());
                }
            }
            for (JsonNode group : JSON.readTree(prometheus.get("/api/v1/rules")).path("data").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (!rule.path("health").asText().equals("ok")) {
                        problems.add("rule " + rule.path("name").asText() + " in " + group.path("name").asText() + " is "
                                + rule.path("health").asText() + ": " + rule.path("lastError").asText());
                    }
                }
            }
            if (!problems.isEmpty()) {
                Thread.sleep(1000);
            }
        } while (!problems.isEmpty() && System.nanoTime() < deadline);
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        int count = 0;
        List<Path> dashboards;
        try (var files = Files.list(repo().resolve("deploy/grafana/dashboards"))) {
            dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path dashboard : dashboards) {
            List<Dashboards.Query> queries = Dashboards.queries(dashboard, "30s");
            for (Dashboards.Query q : queries) {
                count++;
                JsonNode answer = JSON.readTree(prometheus.query(q.expr()));
                String where = dashboard.getFileName() + " '" + q.panel() + "'";
                if (!answer.path("status").asText().equals("success")) {
                    problems.add(where + ": " + q.expr() + "\n    " + answer.path("error").asText());
                } else if (answer.path("data").path("result").isEmpty()) {
                    problems.add(where + " shows no data: " + q.expr());
                }
            }
        }
        System.out.printf("[fuzz] %d queries of %d dashboards run against Prometheus, %d empty or failing%n", count,
                dashboards.size(), problems.size());
        assertTrue(count >= 100, "the dashboards have only " + count + " Prometheus queries");
        assertTrue(problems.isEmpty(), problems.size() + " of the dashboards' " + count + " queries answer nothing:\n"
                + String.join("\n", problems));
    }

    /** POSTs {@code json} to the gateway with {@code key} (and {@code headers}), expecting 201; the answer. */
    private static JsonNode created(java.net.http.HttpClient http, String key, String path, String json,
            Map<String, String> headers) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + fleet.gatewayPort() + path))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json");
            headers.forEach(request::header);
            var response = http.send(request.POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() == 201, path + ": " + response.statusCode() + " " + response.body());
            return JSON.readTree(response.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code env} merged with {@code common} for every service of the fleet. */
    private static Map<String, Map<String, String>> withEveryService(Map<String, String> common,
            Map<String, Map<String, String>> env) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String service : Fleet.SERVICES) {
            Map<String, String> merged = new LinkedHashMap<>(common);
            merged.putAll(env.getOrDefault(service, Map.of()));
            out.put(service, merged);
        }
        return out;
    }

    /**
     * Issue 22: one trace, followed across processes and Kafka. A call that comes in with a W3C traceparent (as from
     * a traced client) is the gateway's server span in that trace, then sdk-registry's, whose outbox event carries the
     * context (CloudEvents distributed tracing) to Kafka as the traceparent header; its consumers (analytics, which
     * reads every topic, and ai-tools' README indexer) process the record under a CONSUMER span whose parent is the
     * registry's span. Every service exports to {@link TraceReceiver} over OTLP/HTTP, decoded with the OpenTelemetry
     * project's protobuf classes.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void oneTraceCrossesTheGatewayAServiceKafkaAndTheConsumers() throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] trace = new byte[16];
        byte[] parent = new byte[8];
        random.nextBytes(trace);
        random.nextBytes(parent);
        String traceId = java.util.HexFormat.of().formatHex(trace);
        String traceparent = "00-" + traceId + "-" + java.util.HexFormat.of().formatHex(parent) + "-01";
        var http = java.net.http.HttpClient.newHttpClient();
        String tenant = "tr-" + Long.toString(System.nanoTime(), 36);
        String[] key = { fleet.bootstrapKey() };
        java.util.function.BiFunction<String, String, JsonNode> created = (path, json) -> created(http, key[0], path,
                json, Map.of("traceparent", traceparent));
        created.apply("/api/v1/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Traced\",\"plan\":\"pro\"}");
        key[0] = created.apply("/api/v1/api-keys", "{\"name\":\"traced\",\"roles\":[\"publisher\"],\"tenant\":\""
                + tenant + "\"}").path("secret").asText();
        created.apply("/api/v1/publishers", "{\"name\":\"" + tenant + "-pub\",\"displayName\":\"Traced\"}");
        created.apply("/api/v1/sdks", "{\"name\":\"" + tenant + "-sdk\",\"publisher\":\"" + tenant
                + "-pub\",\"title\":\"A traced SDK\",\"license\":\"MIT\",\"visibility\":\"public\"}");

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<TraceReceiver.Seen> seen = List.of();
        String problem = "no span yet";
        while (System.nanoTime() < deadline) {
            seen = traces.trace(traceId);
            problem = crossing(seen);
            if (problem == null) {
                break;
            }
            Thread.sleep(500);
        }
        StringBuilder spans = new StringBuilder();
        seen.forEach(s -> spans.append(String.format("%n  %-20s %-9s %s %s <- %s", s.service(), s.kind(), s.name(),
                s.spanId(), s.parentSpanId())));
        System.out.printf("[fuzz] trace %s: %d spans from %s (%d spans received in all)%n", traceId, seen.size(),
                seen.stream().map(TraceReceiver.Seen::service).distinct().sorted().toList(), traces.received());
        assertTrue(problem == null, problem + "; the trace's spans:" + spans);
        // and the gateway's access log names the trace
        Path gatewayLog = fleet.service("gateway").process().logFile();
        String line = "\"traceId\":\"" + traceId + "\"";
        for (int i = 0; i < 40 && !Files.readString(gatewayLog).contains(line); i++) {
            Thread.sleep(250);
        }
        assertTrue(Files.readString(gatewayLog).contains(line), "no access-log line with " + line + " in " + gatewayLog);
    }

    /** Null when the trace crosses gateway -> sdk-registry -> Kafka -> a consumer; else what it lacks. */
    private static String crossing(List<TraceReceiver.Seen> trace) {
        java.util.Set<String> registrySpans = new java.util.HashSet<>();
        boolean gateway = false;
        for (TraceReceiver.Seen s : trace) {
            gateway |= s.service().equals("gateway")
                    && s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
            if (s.service().equals("sdk-registry")) {
                registrySpans.add(s.spanId());
            }
        }
        if (!gateway) {
            return "no server span of the gateway in the trace";
        }
        if (registrySpans.isEmpty()) {
            return "no span of sdk-registry in the trace";
        }
        // the proxied call reaches sdk-registry in the caller's trace (the gateway forwards the context; its own
        // server span of a proxied call is not exported yet, though its children are: docs/operations.md)
        if (trace.stream().noneMatch(s -> s.service().equals("sdk-registry")
                && s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)) {
            return "no server span of sdk-registry in the trace";
        }
        boolean consumed = trace.stream()
                .anyMatch(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER
                        && s.name().equals("registry.v1 process") && registrySpans.contains(s.parentSpanId())
                        && !s.service().equals("sdk-registry"));
        return consumed ? null : "no consumer span of registry.v1 whose parent is a span of sdk-registry";
    }

    private static Path repo() {
        String configured = System.getProperty("dbp.repo");
        Path repo = configured == null || configured.isBlank() ? Path.of("../..") : Path.of(configured);
        return repo.toAbsolutePath().normalize();
    }
}
