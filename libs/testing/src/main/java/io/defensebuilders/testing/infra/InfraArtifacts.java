package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jars Maven resolved for the infrastructure servers at build time (see libs/testing/pom.xml): the Kafka broker
 * and the Maven Central copies of PostgreSQL and Redis. Nothing is downloaded at run time.
 */
final class InfraArtifacts {

    private InfraArtifacts() {
    }

    /** Classpath for a Kafka broker JVM: the broker's own jars first (so its log binding wins), then the clients. */
    static String kafkaBrokerClasspath() {
        List<String> entries = new ArrayList<>(read("META-INF/dbp/infra.classpath"));
        entries.addAll(read("META-INF/dbp/runtime.classpath"));
        return String.join(java.io.File.pathSeparator, entries.stream().filter(e -> e.endsWith(".jar")).distinct().toList());
    }

    /** The resolved jar whose file name starts with {@code prefix}, e.g. {@code embedded-redis-}. */
    static Path jar(String prefix) {
        return read("META-INF/dbp/infra.classpath").stream().map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith(prefix))
                .findFirst()
                .filter(Files::isRegularFile)
                .orElseThrow(() -> new IllegalStateException("the build did not resolve " + prefix
                        + "*.jar; run ./mvnw -pl libs/testing install once"));
    }

    private static List<String> read(String resource) {
        try (InputStream in = InfraArtifacts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from libs/testing: rebuild it with ./mvnw");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return Arrays.stream(text.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
