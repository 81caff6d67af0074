package io.defensebuilders.images.aot;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An image's file system and configuration, as a container runtime would lay it out: copied out of its registry by
 * skopeo, its layers unpacked in order under {@link #root()} (whiteouts applied, modes and links kept). No container
 * runtime is needed to run what is inside: the image's own Java runtime runs from there as a process
 * ({@link #command(List)}), which is how its JDK AOT cache is trained (AotImages) and checked (tests/images).
 */
public final class ImageFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final String reference;
    private final String digest;
    private final Path root;
    private final JsonNode config;
    private final Map<String, Integer> modes;

    private ImageFiles(String reference, String digest, Path root, JsonNode config, Map<String, Integer> modes) {
        this.reference = reference;
        this.digest = digest;
        this.root = root;
        this.config = config;
        this.modes = modes;
    }

    /**
     * Copies {@code reference} ({@code host:port/group/name:tag}) out of its registry and unpacks it under
     * {@code root}, which is emptied first. {@code tlsVerify} false for a plain-HTTP registry on loopback.
     */
    public static ImageFiles pull(String reference, Path root, boolean tlsVerify) throws IOException {
        Path blobs = root.resolveSibling(root.getFileName() + ".blobs");
        deleteRecursively(blobs);
        deleteRecursively(root);
        Files.createDirectories(root);
        skopeo("copy", "--src-tls-verify=" + tlsVerify, "docker://" + reference, "dir:" + blobs);
        try {
            byte[] manifestBytes = Files.readAllBytes(blobs.resolve("manifest.json"));
            String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(manifestBytes));
            JsonNode manifest = JSON.readTree(manifestBytes);
            JsonNode config = JSON.readTree(blob(blobs, manifest.path("config").path("digest").asText()).toFile());
            Map<String, Integer> modes = new LinkedHashMap<>();
            for (JsonNode layer : manifest.path("layers")) {
                unpackLayer(blob(blobs, layer.path("digest").asText()), layer.path("mediaType").asText(), root, modes);
            }
            return new ImageFiles(reference, digest, root, config, Collections.unmodifiableMap(modes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteRecursively(blobs);
        }
    }

    public String reference() {
        return reference;
    }

    /** The digest of the manifest that was pulled ({@code sha256:...}): this very image, whatever its tag names later. */
    public String digest() {
        return digest;
    }

    /** Where the image's file system is unpacked. */
    public Path root() {
        return root;
    }

    /** The image's configuration ({@code config} of the OCI image configuration: Entrypoint, Env, User...). */
    public JsonNode config() {
        return config.path("config");
    }

    /** Every path in the image (no leading slash) with its mode, as its layers last wrote it. */
    public Map<String, Integer> modes() {
        return modes;
    }

    /** The image's entrypoint, as it is configured (paths inside the image). */
    public List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        config().path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        return entrypoint;
    }

    /** A path inside the image ({@code /deployments/app.aot}) where it is unpacked here. */
    public Path file(String pathInImage) {
        Path file = root.resolve(pathInImage.replaceFirst("^/+", "")).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException(pathInImage + " is outside the image");
        }
        return file;
    }

    /**
     * The image's entrypoint as a command of this machine: each path inside the image (an argument, or the value of
     * an {@code -X...=} / {@code -D...=} option, that starts with {@code /}) moved under {@link #root()}, and
     * {@code jvmOptions} after the first word ({@code java}).
     */
    public List<String> command(List<String> jvmOptions) {
        List<String> entrypoint = entrypoint();
        if (entrypoint.isEmpty()) {
            throw new IllegalStateException(reference + " has no entrypoint");
        }
        List<String> command = new ArrayList<>();
        for (String word : entrypoint) {
            int eq = word.indexOf('=');
            if (word.startsWith("/")) {
                command.add(file(word).toString());
            } else if (word.startsWith("-") && eq > 0 && word.startsWith("/", eq + 1)) {
                command.add(word.substring(0, eq + 1) + file(word.substring(eq + 1)));
            } else {
                command.add(word);
            }
        }
        command.addAll(1, jvmOptions);
        return command;
    }

    /**
     * The version of the Java runtime the image's entrypoint starts ({@code JAVA_RUNTIME_VERSION} of its
     * {@code release} file, e.g. {@code 25.0.3+9-LTS}), empty when that is not a Java runtime this can read.
     */
    public String javaVersion() {
        Path java = Path.of(command(List.of()).get(0));
        Path home = java.getParent() == null ? null : java.getParent().getParent();
        if (home == null || !Files.isRegularFile(home.resolve("release"))) {
            return "";
        }
        try {
            Map<String, String> release = new LinkedHashMap<>();
            for (String line : Files.readAllLines(home.resolve("release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    release.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
            return release.getOrDefault("JAVA_RUNTIME_VERSION", release.getOrDefault("JAVA_VERSION", ""));
        } catch (IOException e) {
            return "";
        }
    }

    /** The feature version of {@link #javaVersion()} (25 for 25.0.3+9-LTS), 0 when unknown. */
    public int javaFeature() {
        try {
            return Integer.parseInt(javaVersion().split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Path blob(Path dir, String digest) {
        return dir.resolve(digest.substring(digest.indexOf(':') + 1));
    }

    private static void unpackLayer(Path blob, String mediaType, Path root, Map<String, Integer> modes)
            throws IOException {
        if (mediaType.contains("zstd")) {
            throw new IOException("zstd layers are not supported: " + blob);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob));
                InputStream in = mediaType.endsWith("gzip") ? new GZIPInputStream(raw) : raw;
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/+", "").replaceFirst("/$", "");
                if (name.isEmpty()) {
                    continue;
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("a layer writes outside its root: " + e.getName());
                }
                String base = target.getFileName().toString();
                if (base.equals(OPAQUE)) {
                    // the directory's content from lower layers is hidden
                    deleteRecursively(target.getParent());
                    Files.createDirectories(target.getParent());
                    continue;
                }
                if (base.startsWith(WHITEOUT)) {
                    Path hidden = target.resolveSibling(base.substring(WHITEOUT.length()));
                    deleteRecursively(hidden);
                    modes.keySet().removeIf(p -> p.equals(root.relativize(hidden).toString())
                            || p.startsWith(root.relativize(hidden) + "/"));
                    continue;
                }
                modes.put(name, e.getMode());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(target);
                }
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createLink(target, root.resolve(e.getLinkName().replaceFirst("^\\./", "")
                            .replaceFirst("^/+", "")).normalize());
                } else if (e.isFile()) {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((e.getMode() & 0111) != 0) {
                        target.toFile().setExecutable(true, false);
                    }
                    // the layer's modification time, as a container runtime keeps it: a JDK AOT cache records the
                    // mtime of each jar it was trained on and refuses to map when it differs
                    Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(
                            e.getLastModifiedTime().toInstant()));
                }
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Runs skopeo; its output on success, an exception with it otherwise. */
    static String skopeo(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
