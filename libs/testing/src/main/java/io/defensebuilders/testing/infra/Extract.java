package io.defensebuilders.testing.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks server binaries shipped inside Maven jars into a cache directory, once: into a temporary sibling
 * first and then renamed, so concurrent JVMs never see a half-written tree.
 */
final class Extract {

    private Extract() {
    }

    /** A cache directory every user can traverse when we run as root (the servers then run unprivileged). */
    static Path cacheRoot() {
        if (RunAs.isRoot()) {
            return Path.of("/var/tmp/dbp-cache");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("dbp");
    }

    /** Extracts the .txz archive {@code entry} of {@code jar} into {@code target} (a tree with bin/, lib/, share/). */
    static Path tarXzFromJar(Path jar, String entry, Path target) {
        return once(target, tmp -> {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry zipEntry = zip.getEntry(entry);
                if (zipEntry == null) {
                    throw new IllegalStateException(jar + " has no " + entry);
                }
                try (InputStream raw = new BufferedInputStream(zip.getInputStream(zipEntry));
                        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        Path out = tmp.resolve(e.getName()).normalize();
                        if (!out.startsWith(tmp)) {
                            throw new IllegalStateException("archive entry escapes the target: " + e.getName());
                        }
                        if (e.isDirectory()) {
                            Files.createDirectories(out);
                        } else if (e.isSymbolicLink()) {
                            Files.createDirectories(out.getParent());
                            Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                        } else {
                            Files.createDirectories(out.getParent());
                            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                            if ((e.getMode() & 0100) != 0) {
                                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                            }
                        }
                    }
                }
            }
        });
    }

    /** Extracts the zip archive {@code zip} into {@code target}, keeping the executable bits its entries carry. */
    static Path zip(Path zip, Path target) {
        return once(target, tmp -> {
            try (org.apache.commons.compress.archivers.zip.ZipFile archive = org.apache.commons.compress.archivers.zip.ZipFile
                    .builder().setPath(zip).get()) {
                var entries = archive.getEntries();
                while (entries.hasMoreElements()) {
                    var e = entries.nextElement();
                    Path out = tmp.resolve(e.getName()).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new IllegalStateException("archive entry escapes the target: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = archive.getInputStream(e)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if ((e.getUnixMode() & 0100) != 0 || e.getName().endsWith(".sh")) {
                        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        });
    }

    /** Extracts the single file {@code entry} of {@code jar} as an executable {@code target/name}. */
    static Path executableFromJar(Path jar, String entry, Path target, String name) {
        return once(target, tmp -> {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry zipEntry = zip.getEntry(entry);
                if (zipEntry == null) {
                    throw new IllegalStateException(jar + " has no " + entry);
                }
                Path out = tmp.resolve(name);
                try (InputStream in = zip.getInputStream(zipEntry)) {
                    Files.copy(in, out);
                }
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }).resolve(name);
    }

    private interface Filler {
        void fill(Path tmp) throws IOException;
    }

    private static Path once(Path target, Filler filler) {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(tmp);
            Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            filler.fill(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                deleteTree(tmp); // another JVM finished first; its copy is identical
            }
            return target;
        } catch (IOException e) {
            deleteTree(tmp);
            throw new UncheckedIOException("could not extract into " + target, e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover file in a temp dir is not worth failing a run for
                }
            });
        } catch (IOException ignored) {
            // same as above
        }
    }
}
