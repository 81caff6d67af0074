package io.defensebuilders.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.images.aot.AotImages;
import io.defensebuilders.images.aot.ImageFiles;
import io.defensebuilders.testing.fleet.Fleet;

/**
 * Every service's image as the run pushed it to its loopback registry, read back with skopeo (a client independent
 * of Jib, which built it): both tags, non-root user, the Java entrypoint of the Quarkus application, the API and
 * management ports, the OCI labels, the jlinked base shared by all, and in the layers a Java runtime, the application
 * and no shell.
 */
class ImagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY = System.getenv("DBP_TEST_IMAGE_REGISTRY");
    private static final String GROUP = System.getProperty("dbp.image.group", "defense-builders");
    private static final String VERSION = System.getProperty("dbp.version");
    private static final String SHA = System.getProperty("dbp.git.sha");
    /** Each image pulled and unpacked once, by its sha tag (its version tag names the same digest, asserted below). */
    private static final Map<String, ImageFiles> PULLED = new HashMap<>();
    private static Path unpacked;

    @ParameterizedTest
    @ValueSource(strings = { "gateway", "sdk-registry", "environment-manager", "billing", "analytics", "orbital",
            "inference", "ai-tools" })
    void theServiceImageIsWhatAClusterExpects(String service) throws Exception {
        assumeImagesBuilt();
        String repository = "docker://" + REGISTRY + "/" + GROUP + "/" + service;

        JsonNode tags = skopeo("list-tags", repository);
        List<String> names = new ArrayList<>();
        tags.path("Tags").forEach(t -> names.add(t.asText()));
        assertTrue(names.contains(VERSION) && names.contains(SHA),
                service + " tagged " + VERSION + " and " + SHA + ": " + names);

        JsonNode config = skopeo("inspect", "--config", repository + ":" + SHA).path("config");
        assertEquals("185", config.path("User").asText(), "non-root");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertEquals("/opt/java/openjdk/bin/java", entrypoint.get(0), entrypoint.toString());
        // deploy/images-aot pushed it again with the AOT cache it trained on this very image
        assertEquals("-XX:AOTCache=/deployments/" + AotImages.CACHE_FILE, entrypoint.get(1), entrypoint.toString());
        assertEquals(List.of("-jar", "/deployments/quarkus-run.jar"),
                entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertTrue(entrypoint.contains("-Dvertx.disableURIValidation=true"), entrypoint.toString());
        assertTrue(config.path("ExposedPorts").has("8080/tcp") && config.path("ExposedPorts").has("9000/tcp"));
        assertEquals("/deployments", config.path("WorkingDir").asText());
        JsonNode labels = config.path("Labels");
        assertEquals(service, labels.path("org.opencontainers.image.title").asText());
        assertEquals(VERSION, labels.path("org.opencontainers.image.version").asText());
        assertEquals(SHA, labels.path("org.opencontainers.image.revision").asText());
        assertTrue(labels.path("org.opencontainers.image.source").asText().startsWith("https://"));
        assertTrue(labels.path(AotImages.CACHE_LABEL).asText().startsWith("25"), labels.toString());

        // on the shared base: the jre image's layers come first, unchanged
        JsonNode base = skopeo("inspect", "docker://" + REGISTRY + "/" + GROUP + "/jre:" + VERSION);
        JsonNode image = skopeo("inspect", repository + ":" + VERSION);
        assertEquals(image.path("Digest").asText(), skopeo("inspect", repository + ":" + SHA).path("Digest").asText(),
                "both tags name the image with the cache");
        List<String> baseLayers = new ArrayList<>();
        base.path("Layers").forEach(l -> baseLayers.add(l.asText()));
        List<String> layers = new ArrayList<>();
        image.path("Layers").forEach(l -> layers.add(l.asText()));
        assertTrue(layers.size() > baseLayers.size(), layers.toString());
        assertEquals(baseLayers.get(0), layers.get(0), "the Java runtime layer is the base's");

        // what is inside: a Java runtime (executable), the application, no shell to exec into
        Map<String, Integer> files = pulled(service).modes();
        assertEquals(0755, files.get("opt/java/openjdk/bin/java") & 0777, "java is executable");
        assertTrue(files.containsKey("deployments/quarkus-run.jar"), "the Quarkus application");
        assertEquals(0644, files.get("deployments/" + AotImages.CACHE_FILE) & 0777, "the AOT cache, readable by user 185");
        assertTrue(files.containsKey("tmp"), "a /tmp for a container without volumes");
        for (String shell : List.of("bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh")) {
            assertFalse(files.containsKey(shell), "no shell: " + shell);
        }
    }

    /**
     * The whole fleet started from its images, as a cluster would start them but without a container runtime: each
     * image unpacked layer by layer into a directory, each service started with its image's entrypoint (its own
     * jlinked Java runtime, its application, its AOT cache) against the run's PostgreSQL, Kafka and Redis, with
     * {@code -XX:AOTMode=on}, which makes a JVM exit when it cannot map its cache (another runtime, other jars). Every
     * service must become ready and the gateway answer a call with the bootstrap key. A module missing from the
     * runtime, an application layer in the wrong place or a cache trained on anything but the image fails here, as it
     * would in a cluster (where a stale cache would only be ignored, slowly).
     */
    @org.junit.jupiter.api.Test
    void theFleetStartsFromItsImagesWithTheirAotCaches() throws Exception {
        assumeImagesBuilt();
        Path work = Files.createTempDirectory("dbp-images-fleet-");
        Map<String, ImageFiles> images = new HashMap<>();
        for (String service : Fleet.SERVICES) {
            images.put(service, pulled(service));
        }
        long start = System.nanoTime();
        try (Fleet fleet = Fleet.builder(work, work.resolve("fleet"))
                .command(service -> images.get(service).command(List.of("-XX:AOTMode=on", "-XX:+UseSerialGC",
                        "-Xmx384m")))
                .start()) {
            System.out.printf("[images] fleet ready from its images (AOT caches mapped) %d ms after its start%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            var http = java.net.http.HttpClient.newHttpClient();
            var call = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + fleet.gatewayPort() + "/api/v1/sdks")).header("Authorization", "Bearer " + fleet.bootstrapKey())
                    .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, call.statusCode(), call.body());
            maneuversAreClassifiedByThePlatformModel(http, fleet);
            sdksAreFoundByMeaning(http, fleet);
            for (Fleet.Service s : fleet.services()) {
                assertTrue(Files.readString(s.process().logFile()).lines().noneMatch(l -> l.contains("[aot]")
                        && (l.contains("error") || l.contains("warning"))), s.name() + " mapped its cache without a "
                                + "word: " + s.process().tail(20));
            }
        }
    }

    /**
     * The images work as one: element sets uploaded through the gateway show a maneuver that orbital put to the
     * maneuver classifier the inference service published at its start, over gRPC with the uploader's token.
     */
    private static void maneuversAreClassifiedByThePlatformModel(java.net.http.HttpClient http, Fleet fleet)
            throws Exception {
        int norad = 70_000 + (int) (System.nanoTime() % 20_000);
        String sat = String.format("%05d", norad);
        // the same low orbit a day apart (the node, perigee and anomaly moved on as J2 moves them), its mean motion 15.20
        // then 15.18 rev/day: raised by about 6 km
        String tles = String.join("\n", "SAT",
                tle("1 " + sat + "U 26001A   26305.00000000  .00000500  00000-0  25000-4 0  999"),
                tle("2 " + sat + "  97.4000 120.0000 0010000  90.0000 270.0000 15.20000000    1"),
                "SAT",
                tle("1 " + sat + "U 26001A   26306.00000000  .00000500  00000-0  25000-4 0  999"),
                tle("2 " + sat + "  97.4000 120.9832 0010000  86.5015 338.6500 15.18000000   16"), "");
        // the classifier through the gateway over the Open Inference Protocol first (also the inference service's
        // first authenticated call: its key set fetched, billing asked)
        String features = "[0.1,2.3,0.2,2.4,0.05,0.99,0.09,1.9,0.7,0.08,1,0,0,0]";
        var infer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + fleet.gatewayPort() + "/v2/models/maneuver-classifier/infer"))
                .header("Authorization", "Bearer " + fleet.bootstrapKey()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"input\",\"shape\":"
                        + "[1,14],\"datatype\":\"FP32\",\"data\":" + features + "}]}"))
                .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, infer.statusCode(), infer.body());
        assertEquals("[1,5]", JSON.readTree(infer.body()).path("outputs").path(0).path("shape").toString(), infer.body());
        String base = "http://127.0.0.1:" + fleet.gatewayPort() + "/api/v1/orbital";
        var upload = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/element-sets"))
                .header("Authorization", "Bearer " + fleet.bootstrapKey()).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(tles))
                .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, upload.statusCode(), upload.body());
        var maneuvers = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/objects/" + norad
                + "/maneuvers")).header("Authorization", "Bearer " + fleet.bootstrapKey())
                .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, maneuvers.statusCode(), maneuvers.body());
        JsonNode m = JSON.readTree(maneuvers.body()).path("items").path(0);
        assertEquals("ALTITUDE_RAISE", m.path("maneuverType").asText(), maneuvers.body());
        assertEquals("maneuver-classifier", m.path("model").path("name").asText(), maneuvers.body());
        assertEquals("ALTITUDE_RAISE", m.path("model").path("maneuverType").asText(), maneuvers.body());
        assertTrue(m.path("model").path("confidence").asDouble() > 0.5, maneuvers.body());
    }

    /**
     * The registry embeds a new SDK with the inference service's text embedding model, calling it as the platform with
     * the token the gateway minted for the registry's own service key, and a search that shares no word with the SDK
     * finds it.
     */
    private static void sdksAreFoundByMeaning(java.net.http.HttpClient http, Fleet fleet) throws Exception {
        String base = "http://127.0.0.1:" + fleet.gatewayPort() + "/api/v1";
        String suffix = Long.toString(System.nanoTime(), 36);
        String publisher = "images-" + suffix;
        String sdk = "orbit-guard-" + suffix;
        for (var call : List.of(
                java.util.Map.entry("/publishers", "{\"name\":\"" + publisher + "\",\"displayName\":\"Images\"}"),
                java.util.Map.entry("/sdks", "{\"name\":\"" + sdk + "\",\"publisher\":\"" + publisher
                        + "\",\"title\":\"Satellite collision avoidance\",\"description\":\"Screens spacecraft "
                        + "conjunctions and plans avoidance burns\",\"license\":\"MIT\",\"visibility\":\"public\"}"))) {
            var created = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + call.getKey()))
                    .header("Authorization", "Bearer " + fleet.bootstrapKey()).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(call.getValue()))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
        String query = java.net.URLEncoder.encode("warn me before two orbiting objects crash into each other",
                java.nio.charset.StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            var found = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/sdks?q=" + query))
                    .header("Authorization", "Bearer " + fleet.bootstrapKey()).timeout(java.time.Duration.ofSeconds(10))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), found.body());
            last = found.body();
            if (last.contains("\"" + sdk + "\"")) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no meaning match within 60 s: " + last + "\n"
                + fleet.services().stream().filter(s -> s.name().startsWith("sdk-registry")).findFirst().orElseThrow()
                        .process().tail(30));
    }

    /** A TLE line with its checksum appended (digits count, a minus sign counts 1, modulo 10). */
    private static String tle(String line) {
        int sum = 0;
        for (char c : line.toCharArray()) {
            sum += Character.isDigit(c) ? c - '0' : c == '-' ? 1 : 0;
        }
        return line + (sum % 10);
    }

    /**
     * Images are built by a whole ./platform test run where Debian's docker-registry is installed (.ci/run installs
     * it): -Pimages, and a registry of the run. Elsewhere (a laptop with only a JDK, or a part of the build) there
     * is nothing to read back.
     */
    private static synchronized ImageFiles pulled(String service) throws IOException {
        if (unpacked == null) {
            unpacked = Files.createTempDirectory("dbp-images-");
        }
        ImageFiles image = PULLED.get(service);
        if (image == null) {
            image = ImageFiles.pull(REGISTRY + "/" + GROUP + "/" + service + ":" + SHA,
                    unpacked.resolve(service), false);
            PULLED.put(service, image);
        }
        return image;
    }

    private static void assumeImagesBuilt() {
        Assumptions.assumeTrue(REGISTRY != null && !REGISTRY.isBlank() && Boolean.getBoolean("dbp.images"),
                "no images in this run (docker-registry not installed, or not the whole build with -Pimages)");
    }

    private static JsonNode skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.add(1, "--tls-verify=false");
        return JSON.readTree(skopeoRun(command.toArray(String[]::new)));
    }

    private static String skopeoRun(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "skopeo did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
