package io.defensebuilders.images.aot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

import io.defensebuilders.testing.fleet.AotTraining;
import io.defensebuilders.testing.fleet.Fleet;

/**
 * Gives every service's image the JDK AOT cache (JEP 483/514) of its own Java runtime, so that a pod starts as fast
 * as {@code ./platform up} does here. A cache is valid only for the very runtime (its {@code lib/modules}) and
 * application jars it was trained on, so the training runs on the image's own files:
 * <ol>
 * <li>each image (as Quarkus' Jib pushed it) is copied out of the registry and unpacked ({@link ImageFiles});</li>
 * <li>the whole fleet runs from those files, each service with its image's entrypoint and
 * {@code -XX:AOTCacheOutput}, against PostgreSQL, Kafka and Redis (the test run's, or ones of its own);</li>
 * <li>once every service is ready and has answered its first calls ({@link AotTraining}), all stop, and each JVM
 * writes its cache at exit;</li>
 * <li>each image is pushed again under the same tags with the cache as one more layer
 * ({@code <workdir>/app.aot}) and {@code -XX:AOTCache} in its entrypoint (jib-core, no Docker daemon). The cache
 * path is relative to nothing a pod can change; a JVM that cannot map it starts without it.</li>
 * </ol>
 * An image whose Java runtime is older than 25 has no AOT cache and is left as it is.
 *
 * <pre>
 * AotImages --registry=HOST:PORT --group=G --version=V --tag=SHA --insecure=true|false --work=DIR [--c1=true]
 * </pre>
 *
 * {@code --c1=true} trains with the client compiler only ({@code -XX:TieredStopAtLevel=1}): the fleet is ready and the
 * caches written in about 50 s less on two cores (bench/README.md), and the cache maps the same, but holds no method
 * profiles for the server compiler. {@code ./platform test} trains so, as it checks how images are made; the images a
 * release ships (.github/workflows/images.yml) are trained with the JIT their pods run.
 *
 * Credentials for the push: {@code DBP_IMAGE_USERNAME} and {@code DBP_IMAGE_PASSWORD} in the environment, when set
 * (skopeo, which pulls, uses its own login).
 */
public final class AotImages {

    /** Where the cache goes in an image without a working directory. */
    private static final String DEFAULT_DIR = "/deployments";
    public static final String CACHE_FILE = "app.aot";
    /** The image label that says an image carries a cache, and for which Java runtime. */
    public static final String CACHE_LABEL = "io.defensebuilders.aot-cache";
    private static final Duration EXIT_GRACE = Duration.ofSeconds(180);

    private AotImages() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String registry = require(options, "registry");
        String group = require(options, "group");
        String version = require(options, "version");
        String tag = options.getOrDefault("tag", "");
        boolean insecure = Boolean.parseBoolean(options.getOrDefault("insecure", "false"));
        Path work = Path.of(require(options, "work")).toAbsolutePath();
        boolean c1 = Boolean.parseBoolean(options.getOrDefault("c1", "false"));
        run(registry, group, version, tag, insecure, work, c1);
    }

    static void run(String registry, String group, String version, String tag, boolean insecure, Path work,
            boolean c1) throws Exception {
        long started = System.nanoTime();
        Map<String, ImageFiles> images = new LinkedHashMap<>();
        for (String service : Fleet.SERVICES) {
            String reference = registry + "/" + group + "/" + service + ":" + version;
            ImageFiles image = ImageFiles.pull(reference, work.resolve("rootfs").resolve(service), !insecure);
            if (image.javaFeature() < 25) {
                say(reference + " runs Java " + image.javaFeature() + " (no AOT cache before 25): every image left "
                        + "as it is");
                return;
            }
            if (image.entrypoint().stream().anyMatch(w -> w.startsWith("-XX:AOTCache"))) {
                say(reference + " already has an AOT cache: every image left as it is");
                return;
            }
            images.put(service, image);
        }
        say("unpacked " + images.size() + " images in " + seconds(started) + "; training their AOT caches"
                + (c1 ? " (client compiler only)" : ""));

        Map<String, Path> caches = new LinkedHashMap<>();
        for (Map.Entry<String, ImageFiles> e : images.entrySet()) {
            Path cache = work.resolve("cache").resolve(e.getKey()).resolve(CACHE_FILE);
            Files.createDirectories(cache.getParent());
            Files.deleteIfExists(cache);
            caches.put(e.getKey(), cache);
        }
        long training = System.nanoTime();
        // a pod's JVM: the image's entrypoint; a heap and GC the size of a small pod's (seven JVMs share this machine)
        List<String> jit = c1 ? List.of("-XX:TieredStopAtLevel=1") : List.of();
        Fleet fleet = Fleet.builder(work, work.resolve("fleet"))
                .command(service -> images.get(service).command(Stream.concat(Stream.of(
                        "-XX:AOTCacheOutput=" + caches.get(service), "-XX:+UseSerialGC", "-Xmx512m"), jit.stream())
                        .toList()))
                .start();
        try {
            say("fleet ready from the images' files in " + seconds(training));
            for (Fleet.Service s : fleet.services()) {
                AotTraining.exercise(s.service(), s.port(), s.managementPort());
            }
        } finally {
            fleet.close(EXIT_GRACE);
        }
        for (Map.Entry<String, Path> e : caches.entrySet()) {
            if (!Files.isRegularFile(e.getValue()) || Files.size(e.getValue()) == 0) {
                throw new IllegalStateException(e.getKey() + "'s training run wrote no AOT cache; its log: "
                        + work.resolve("fleet/logs").resolve(e.getKey() + ".log"));
            }
        }
        say("trained in " + seconds(training) + "; pushing the images with their caches");

        for (String service : images.keySet()) {
            push(images.get(service), caches.get(service), registry, group, service, version, tag, insecure);
        }
        say("done in " + seconds(started));
    }

    /** The image again, with its cache as one more layer and {@code -XX:AOTCache} in its entrypoint, same tags. */
    private static void push(ImageFiles image, Path cache, String registry, String group, String service,
            String version, String tag, boolean insecure) throws Exception {
        String dir = image.config().path("WorkingDir").asText(DEFAULT_DIR);
        String inImage = (dir.isBlank() ? DEFAULT_DIR : dir).replaceFirst("/+$", "") + "/" + CACHE_FILE;
        List<String> entrypoint = new ArrayList<>(image.entrypoint());
        entrypoint.add(1, "-XX:AOTCache=" + inImage);
        // the very image that was trained on, by digest, whatever its tag names by now
        String repository = registry + "/" + group + "/" + service;
        JibContainerBuilder builder = Jib.from(credentials(RegistryImage.named(repository + "@" + image.digest())))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("aot-cache")
                        .addEntry(cache, AbsoluteUnixPath.get(inImage)).build())
                .setEntrypoint(entrypoint)
                .addLabel(CACHE_LABEL, image.javaVersion())
                .setCreationTime(Instant.now());
        Containerizer to = Containerizer.to(credentials(RegistryImage.named(repository + ":" + version)))
                .setAllowInsecureRegistries(insecure)
                .setToolName("dbp-images-aot")
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.ERROR) {
                        say(service + ": " + e.getMessage());
                    }
                });
        if (!tag.isBlank()) {
            to = to.withAdditionalTag(tag);
        }
        JibContainer pushed = builder.containerize(to);
        say(service + ": " + repository + ":" + version + (tag.isBlank() ? "" : ", " + tag)
                + " @ " + pushed.getDigest() + " (AOT cache " + Files.size(cache) / (1024 * 1024) + " MiB)");
    }

    private static RegistryImage credentials(RegistryImage image) {
        String user = System.getenv().getOrDefault("DBP_IMAGE_USERNAME", "");
        String password = System.getenv().getOrDefault("DBP_IMAGE_PASSWORD", "");
        return user.isBlank() || password.isBlank() ? image : image.addCredential(user, password);
    }

    /** {@code --name=value} arguments by name (this tool's and ImageStartupBench's). */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static String seconds(long since) {
        return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
    }

    private static void say(String message) {
        System.out.println("[images-aot] " + message);
    }
}
