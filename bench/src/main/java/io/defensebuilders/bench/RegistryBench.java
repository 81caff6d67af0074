package io.defensebuilders.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.defensebuilders.contracts.registry.v1.ResolveSdkRequest;
import io.defensebuilders.contracts.registry.v1.SdkRegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * The SDK registry benchmark: seeds N SDKs x 10 versions through the public REST API (once; later runs reuse them),
 * then measures search (REST) and resolve (gRPC ResolveSdk and its REST twin) at concurrency 1 and under load.
 * REST goes through the gateway with API keys, as users call it; gRPC, an internal API, goes straight to the
 * registry with internal tokens a platform admin mints at the gateway (refreshed before they expire).
 *
 * <pre>
 * RegistryBench --gateway http://localhost:8080 --registry http://localhost:8081
 *               --key-file .platform/keys/bootstrap-api-key [--sdks 10000] [--concurrency 16] [--seconds 20]
 *               [--out bench/results]
 * </pre>
 */
public final class RegistryBench {

    static final String[] VERSIONS = { "0.9.0", "1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "2.0.0-beta.1", "2.0.0",
            "2.1.0", "2.2.0-rc.1" };
    static final String[] RANGES = { "^1", "~1.2", ">=1 <2", "latest", "2.x", "^2.0.0-beta.0", "1.0.1", "*", "^0.9" };
    static final String[] WORDS = { "orbit", "satellite", "tak", "server", "geo", "tiles", "kafka", "bridge", "radar",
            "sensor", "fusion", "mesh", "radio", "link16", "cot", "mission", "planner", "drone", "swarm", "edge",
            "vision", "model", "inference", "space", "track", "ephemeris", "sgp4", "propagator", "conjunction", "ais",
            "adsb", "map", "terrain", "weather", "cyber", "crypto", "gateway", "sdk", "client", "toolkit" };
    static final String[] CATEGORIES = { "geospatial", "c2", "data", "ml", "space", "comms", "cyber", "sensors",
            "simulation", "autonomy", "edge", "devtools" };
    static final String[] QUERIES = { "orbit", "tak server", "tak servr", "satellite propagator", "sgp4", "geo tiles",
            "radar fusion", "mission planner", "drone swarm", "edge inference", "conjunction", "cursor on target",
            "orbt propagatr", "kafka bridge", "weather", "terrain map", "link16 radio", "ephemeris track" };
    static final int TENANTS = 10;

    private final URI base;
    private final URI registry;
    private final String adminKey;
    private final int sdks;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** API keys, one per bench tenant, for REST through the gateway. */
    private final String[] tokens = new String[TENANTS];
    /** Internal tokens, one per bench tenant, for gRPC straight to the registry; refreshed in the background. */
    private final String[] internal = new String[TENANTS];

    RegistryBench(URI gateway, URI registry, String adminKey, int sdks) throws Exception {
        this.base = gateway;
        this.registry = registry;
        this.adminKey = adminKey;
        this.sdks = sdks;
        for (int t = 0; t < TENANTS; t++) {
            String tenant = "bench-tenant-" + t;
            send("POST", "/api/v1/tenants", adminKey, Map.of("id", tenant, "name", "Bench " + t, "plan", "enterprise"), 201,
                    409);
            tokens[t] = (String) json.readValue(sendForBody("POST", "/api/v1/api-keys", adminKey, Map.of("name", "bench",
                    "roles", List.of("publisher"), "tenant", tenant)), Map.class).get("secret");
        }
        refreshInternalTokens();
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(20_000);
                    refreshInternalTokens();
                } catch (Exception e) {
                    System.err.println("token refresh failed: " + e);
                }
            }
        });
    }

    private void refreshInternalTokens() throws Exception {
        for (int t = 0; t < TENANTS; t++) {
            internal[t] = (String) json.readValue(sendForBody("POST", "/api/v1/gateway/tokens", adminKey,
                    Map.of("tenant", "bench-tenant-" + t, "subject", "bench-user-" + t, "roles", List.of("publisher"))),
                    Map.class).get("token");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Args.parse(args);
        URI gateway = URI.create(o.getOrDefault("gateway", "http://localhost:8080"));
        URI registry = URI.create(o.getOrDefault("registry", "http://localhost:8081"));
        String adminKey = Files.readString(Path.of(o.getOrDefault("key-file", ".platform/keys/bootstrap-api-key"))).trim();
        int sdks = Integer.parseInt(o.getOrDefault("sdks", "10000"));
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "16"));
        Duration duration = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "20")));
        Path out = Path.of(o.getOrDefault("out", "bench/results"));
        new RegistryBench(gateway, registry, adminKey, sdks).run(concurrency, duration, out);
    }

    void run(int concurrency, Duration duration, Path out) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("startedAt", Instant.now().toString());
        report.put("sdks", sdks);
        report.put("versionsPerSdk", VERSIONS.length);
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        report.put("seed", seed());

        Duration warmup = Duration.ofSeconds(5);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(registry.getHost(), registry.getPort()).usePlaintext()
                .build();
        List<Load.Result> results = new ArrayList<>();
        try {
            for (int c : new int[] { 1, concurrency }) {
                Duration d = c == 1 ? Duration.ofSeconds(Math.max(5, duration.toSeconds() / 2)) : duration;
                results.add(Load.run("search (REST via gateway, q=...)", c, warmup, d, w -> search(randomQuery(), null)));
                results.add(Load.run("search (via gateway, category)", c, warmup, d,
                        w -> search(null, CATEGORIES[ThreadLocalRandom.current().nextInt(CATEGORIES.length)])));
                results.add(Load.run("resolve (gRPC ResolveSdk)", c, warmup, d, w -> resolveGrpc(channel)));
                results.add(Load.run("resolve (REST via gateway)", c, warmup, d, w -> resolveRest()));
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println();
        System.out.println(Load.Result.header());
        results.forEach(r -> System.out.println(r.row()));
        report.put("results", results);
        Files.createDirectories(out);
        Path file = out.resolve("sdk-registry-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        System.out.println("\nwritten to " + file);
    }

    // ---- seeding -----------------------------------------------------------------------------------------------

    private Map<String, Object> seed() throws Exception {
        Map<String, Object> seed = new LinkedHashMap<>();
        String marker = "bench-v2-complete-" + sdks; // bump when the generated catalog changes
        if (get("/api/v1/sdks/" + marker, tokens[0]).statusCode() == 200) {
            System.out.println("catalog already seeded (" + marker + " exists)");
            seed.put("reused", true);
            return seed;
        }
        for (int t = 0; t < TENANTS; t++) {
            send("POST", "/api/v1/publishers", tokens[t], Map.of("name", "bench-pub-" + t, "displayName", "Bench " + t),
                    201, 409);
        }
        AtomicLong calls = new AtomicLong();
        long start = System.nanoTime();
        int chunk = 50;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int from = 0; from < sdks; from += chunk) {
            int first = from;
            tasks.add(() -> {
                for (int i = first; i < Math.min(sdks, first + chunk); i++) {
                    seedSdk(i, calls);
                }
                return null;
            });
        }
        Load.parallel(16, tasks);
        double seconds = (System.nanoTime() - start) / 1e9;
        send("POST", "/api/v1/sdks", tokens[0], sdkBody(0, marker), 201, 409);
        System.out.printf("seeded %d SDKs x %d versions with %d API calls in %.1f s (%.0f writes/s)%n", sdks,
                VERSIONS.length, calls.get(), seconds, calls.get() / seconds);
        seed.put("reused", false);
        seed.put("apiCalls", calls.get());
        seed.put("seconds", seconds);
        seed.put("writesPerSecond", calls.get() / seconds);
        return seed;
    }

    private void seedSdk(int i, AtomicLong calls) throws Exception {
        String name = name(i);
        String token = tokens[i % TENANTS];
        int status = send("POST", "/api/v1/sdks", token, sdkBody(i, name), 201, 409);
        calls.incrementAndGet();
        if (status == 409) {
            return; // seeded by an interrupted earlier run
        }
        Random r = new Random(i);
        for (String v : VERSIONS) {
            String readme = "# " + name + " " + v + "\n\n" + sentence(r, 40);
            send("POST", "/api/v1/sdks/" + name + "/versions", token, Map.of("version", v, "readme", readme), 201, 409);
            calls.incrementAndGet();
        }
    }

    private Map<String, Object> sdkBody(int i, String name) {
        Random r = new Random(i);
        int t = Math.floorMod(i, TENANTS);
        return Map.of("name", name, "publisher", "bench-pub-" + t, "title", title(name), "description", sentence(r, 25),
                "license", r.nextBoolean() ? "Apache-2.0" : "MIT", "tags", List.of(word(r), word(r), word(r)).stream()
                        .distinct().toList(),
                "categories", List.of(CATEGORIES[r.nextInt(CATEGORIES.length)]),
                "visibility", t == TENANTS - 1 ? "private" : "public");
    }

    static String name(int i) {
        Random r = new Random(i * 31L + 7);
        return word(r) + "-" + word(r) + "-" + i;
    }

    private static String title(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1)).append(' ');
        }
        return out.toString().trim();
    }

    /** A long-tailed vocabulary: the domain words a third of the time, else one of 4,000 generated words. */
    private static String word(Random r) {
        return r.nextInt(3) == 0 ? WORDS[r.nextInt(WORDS.length)] : VOCABULARY[r.nextInt(VOCABULARY.length)];
    }

    static final String[] VOCABULARY = vocabulary(4000);

    private static String[] vocabulary(int size) {
        String[] onsets = { "b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "st", "tr", "br" };
        String[] vowels = { "a", "e", "i", "o", "u", "ai", "eo" };
        String[] codas = { "", "n", "r", "s", "x", "l", "th", "m" };
        Random r = new Random(42);
        java.util.Set<String> words = new java.util.LinkedHashSet<>();
        while (words.size() < size) {
            StringBuilder w = new StringBuilder();
            for (int syllables = 2 + r.nextInt(2); syllables > 0; syllables--) {
                w.append(onsets[r.nextInt(onsets.length)]).append(vowels[r.nextInt(vowels.length)])
                        .append(codas[r.nextInt(codas.length)]);
            }
            words.add(w.toString());
        }
        return words.toArray(String[]::new);
    }

    private static String sentence(Random r, int words) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            out.append(word(r)).append(i % 9 == 8 ? ". " : " ");
        }
        return out.toString().trim();
    }

    // ---- operations --------------------------------------------------------------------------------------------

    /** Half domain queries (some misspelt), half a word of the long tail, as a catalog's users type them. */
    private static String randomQuery() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return r.nextBoolean() ? QUERIES[r.nextInt(QUERIES.length)] : VOCABULARY[r.nextInt(VOCABULARY.length)];
    }

    private boolean search(String q, String category) throws Exception {
        String path = "/api/v1/sdks?limit=20" + (q == null ? "" : "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                + (category == null ? "" : "&category=" + category + "&sort=downloads");
        return get(path, tokens[ThreadLocalRandom.current().nextInt(TENANTS)]).statusCode() == 200;
    }

    private boolean resolveGrpc(ManagedChannel channel) {
        int i = ThreadLocalRandom.current().nextInt(sdks);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + internal[i % TENANTS]);
        var stub = SdkRegistryGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        String range = RANGES[ThreadLocalRandom.current().nextInt(RANGES.length)];
        return !stub.resolveSdk(ResolveSdkRequest.newBuilder().setName(name(i)).setRange(range).build()).getVersion()
                .isEmpty();
    }

    private boolean resolveRest() throws Exception {
        int i = ThreadLocalRandom.current().nextInt(sdks);
        String range = RANGES[ThreadLocalRandom.current().nextInt(RANGES.length)];
        return get("/api/v1/sdks/" + name(i) + "/resolve?range=" + URLEncoder.encode(range, StandardCharsets.UTF_8),
                tokens[i % TENANTS]).statusCode() == 200;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String sendForBody(String method, String path, String token, Object body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private int send(String method, String path, String token, Object body, int... accepted) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int ok : accepted) {
            if (r.statusCode() == ok) {
                return ok;
            }
        }
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
}
