package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * A temporary directory for throw-away servers, deleted when the JVM exits once the servers in it have stopped
 * (each removes its pid file when it does).
 */
public final class TempRoot {

    private TempRoot() {
    }

    public static Path create(String prefix) {
        Path root;
        try {
            root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
            // the servers may run as an unprivileged account, which must be able to enter it
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // shutdown hooks run concurrently: wait for the servers' own hooks to stop them, then delete
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = 0; i < 600 && hasPidFiles(root); i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    break;
                }
            }
            Extract.deleteTree(root);
        }));
        return root;
    }

    private static boolean hasPidFiles(Path root) {
        try (Stream<Path> files = Files.list(root)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".pid"));
        } catch (IOException e) {
            return false;
        }
    }
}
