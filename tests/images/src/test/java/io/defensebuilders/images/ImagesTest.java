package io.defensebuilders.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    @ParameterizedTest
    @ValueSource(strings = { "gateway", "sdk-registry", "environment-manager", "billing", "analytics", "orbital" })
    void theServiceImageIsWhatAClusterExpects(String service) throws Exception {
        assumeImagesBuilt();
        String repository = "docker://" + REGISTRY + "/" + GROUP + "/" + service;

        JsonNode tags = skopeo("list-tags", repository);
        List<String> names = new ArrayList<>();
        tags.path("Tags").forEach(t -> names.add(t.asText()));
        assertTrue(names.contains(VERSION) && names.contains(SHA), service + " tagged " + VERSION + " and " + SHA + ": " + names);

        JsonNode config = skopeo("inspect", "--config", repository + ":" + SHA).path("config");
        assertEquals("185", config.path("User").asText(), "non-root");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertEquals("/opt/java/openjdk/bin/java", entrypoint.get(0), entrypoint.toString());
        assertEquals(List.of("-jar", "/deployments/quarkus-run.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertTrue(entrypoint.contains("-Dvertx.disableURIValidation=true"), entrypoint.toString());
        assertTrue(config.path("ExposedPorts").has("8080/tcp") && config.path("ExposedPorts").has("9000/tcp"));
        assertEquals("/deployments", config.path("WorkingDir").asText());
        JsonNode labels = config.path("Labels");
        assertEquals(service, labels.path("org.opencontainers.image.title").asText());
        assertEquals(VERSION, labels.path("org.opencontainers.image.version").asText());
        assertEquals(SHA, labels.path("org.opencontainers.image.revision").asText());
        assertTrue(labels.path("org.opencontainers.image.source").asText().startsWith("https://"));

        // on the shared base: the jre image's layers come first, unchanged
        JsonNode base = skopeo("inspect", "docker://" + REGISTRY + "/" + GROUP + "/jre:" + VERSION);
        JsonNode image = skopeo("inspect", repository + ":" + VERSION);
        List<String> baseLayers = new ArrayList<>();
        base.path("Layers").forEach(l -> baseLayers.add(l.asText()));
        List<String> layers = new ArrayList<>();
        image.path("Layers").forEach(l -> layers.add(l.asText()));
        assertTrue(layers.size() > baseLayers.size(), layers.toString());
        assertEquals(baseLayers.get(0), layers.get(0), "the Java runtime layer is the base's");

        // what is inside: a Java runtime (executable), the application, no shell to exec into
        Map<String, Integer> files = files(repository + ":" + VERSION);
        assertEquals(0755, files.get("opt/java/openjdk/bin/java") & 0777, "java is executable");
        assertTrue(files.containsKey("deployments/quarkus-run.jar"), "the Quarkus application");
        assertTrue(files.containsKey("tmp"), "a /tmp for a container without volumes");
        for (String shell : List.of("bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh")) {
            assertFalse(files.containsKey(shell), "no shell: " + shell);
        }
    }

    /**
     * The gateway's image, unpacked layer by layer into a directory, started with the command of its entrypoint (its
     * own jlinked Java runtime, its application) against the run's PostgreSQL, Kafka and Redis: it must become
     * ready. A module missing from the runtime, or an application layer in the wrong place, fails here, as it would
     * in a cluster. (No container runtime here: the process runs as the current user, not in a container.)
     */
    @org.junit.jupiter.api.Test
    void theGatewayImageRunsOnItsOwnJavaRuntime() throws Exception {
        assumeImagesBuilt();
        String image = "docker://" + REGISTRY + "/" + GROUP + "/gateway:" + VERSION;
        Path root = Files.createTempDirectory("dbp-gateway-rootfs-");
        unpack(image, root);
        JsonNode config = skopeo("inspect", "--config", image).path("config");
        List<String> command = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> command.add(e.asText().startsWith("/")
                ? root.resolve(e.asText().substring(1)).toString() : e.asText()));
        var db = io.defensebuilders.testing.infra.SharedInfra.postgres();
        int port = io.defensebuilders.testing.infra.Ports.free();
        int management = io.defensebuilders.testing.infra.Ports.free();
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.resolve("deployments").toFile())
                .redirectErrorStream(true).redirectOutput(root.resolve("gateway.log").toFile());
        pb.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(management),
                "QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl(), "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", db.user(), "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                "KAFKA_BOOTSTRAP_SERVERS", io.defensebuilders.testing.infra.SharedInfra.kafka(),
                "QUARKUS_REDIS_HOSTS", io.defensebuilders.testing.infra.SharedInfra.redis(),
                "QUARKUS_OTEL_SDK_DISABLED", "true",
                "DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(kek)));
        pb.environment().put("TMPDIR", root.resolve("tmp").toString());
        Process gateway = pb.start();
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var ready = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + management
                    + "/q/health/ready")).timeout(java.time.Duration.ofSeconds(2)).build();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int status = 0;
            while (System.nanoTime() < end && gateway.isAlive() && status != 200) {
                try {
                    status = http.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    Thread.sleep(500);
                }
            }
            assertEquals(200, status, "ready; its log: " + Files.readString(root.resolve("gateway.log")));
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Images are built by a whole ./platform test run where Debian's docker-registry is installed (.ci/run installs
     * it): -Pimages, and a registry of the run. Elsewhere (a laptop with only a JDK, or a part of the build) there
     * is nothing to read back.
     */
    private static void assumeImagesBuilt() {
        Assumptions.assumeTrue(REGISTRY != null && !REGISTRY.isBlank() && Boolean.getBoolean("dbp.images"),
                "no images in this run (docker-registry not installed, or not the whole build with -Pimages)");
    }

    /** The image's layers, in order, written out under {@code root} with their file modes. */
    private static void unpack(String image, Path root) throws Exception {
        eachEntry(image, (e, tar) -> {
            Path target = root.resolve(name(e)).normalize();
            assertTrue(target.startsWith(root), "a layer writes outside its root: " + e.getName());
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink()) {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                if ((e.getMode() & 0111) != 0) {
                    target.toFile().setExecutable(true, false);
                }
            }
        });
    }

    /** Every path (without a leading slash) in the image's layers, with its mode. */
    private static Map<String, Integer> files(String image) throws Exception {
        Map<String, Integer> files = new HashMap<>();
        eachEntry(image, (e, tar) -> files.put(name(e), e.getMode()));
        return files;
    }

    private interface EntryVisitor {
        void visit(TarArchiveEntry entry, TarArchiveInputStream tar) throws IOException;
    }

    /** Copies {@code image} out of the registry (skopeo) and visits every entry of its layers, in order. */
    private static void eachEntry(String image, EntryVisitor visitor) throws Exception {
        Path dir = Files.createTempDirectory("dbp-image-");
        skopeoRun("copy", "--src-tls-verify=false", image, "dir:" + dir);
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        for (JsonNode layer : manifest.path("layers")) {
            Path blob = dir.resolve(layer.path("digest").asText().substring("sha256:".length()));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    visitor.visit(e, tar);
                }
            }
        }
    }

    private static String name(TarArchiveEntry e) {
        return e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
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
