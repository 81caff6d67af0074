package io.defensebuilders.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A service's JDK AOT cache (JEP 483/514, JDK 25 and newer): the classes its start loads and links, and their early
 * objects, written by a training run ({@code -XX:AOTCacheOutput}, at its exit) and mapped by every later start
 * ({@code -XX:AOTCache}). One cache per service build, next to its jar ({@code target/quarkus-app/dbp.aot}), so a
 * rebuild drops it; its JDK is recorded beside it, and a cache of another build or JDK is trained again rather than
 * handed to a JVM that would ignore it. {@code DBP_AOT=off} starts every JVM without one.
 */
final class AotCache {

    private final Path jar;

    AotCache(Path jar) {
        this.jar = jar;
    }

    /** Whether this JVM (which starts the services with itself) has AOT caches, and they are not switched off. */
    static boolean available() {
        return Runtime.version().feature() >= 25 && !"off".equalsIgnoreCase(System.getenv("DBP_AOT"));
    }

    Path file() {
        return jar.resolveSibling("dbp.aot");
    }

    private Path stamp() {
        return jar.resolveSibling("dbp.aot.jdk");
    }

    /** A cache made by a training run of this very jar, on this JDK. */
    boolean usable() {
        try {
            return Files.isRegularFile(file())
                    && Files.getLastModifiedTime(file()).compareTo(Files.getLastModifiedTime(jar)) > 0
                    && Files.readString(stamp()).strip().equals(jdk());
        } catch (IOException e) {
            return false;
        }
    }

    /** How a start uses the cache. */
    enum Use {
        /** map it when there is a usable one */
        MAP,
        /** a training run: write it at exit */
        TRAIN,
        /** start without (a benchmark's baseline) */
        NONE
    }

    /** The JVM options of a start. */
    List<String> options(Use use) {
        if (!available()) {
            return List.of();
        }
        return switch (use) {
            case TRAIN -> List.of("-XX:AOTCacheOutput=" + file());
            case MAP -> usable() ? List.of("-XX:AOTCache=" + file()) : List.of();
            case NONE -> List.of();
        };
    }

    /** Before a training run: nothing stale left that a failed run could make look fresh. */
    void discard() throws IOException {
        Files.deleteIfExists(file());
        Files.deleteIfExists(stamp());
    }

    /** After a training run's JVM exited: the cache it wrote belongs to this JDK. */
    boolean recordTrained() throws IOException {
        if (!Files.isRegularFile(file())) {
            return false;
        }
        Files.writeString(stamp(), jdk());
        return true;
    }

    private static String jdk() {
        return System.getProperty("java.home") + " " + Runtime.version();
    }
}
