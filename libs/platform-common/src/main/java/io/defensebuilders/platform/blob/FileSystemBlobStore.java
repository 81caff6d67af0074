package io.defensebuilders.platform.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory: written to {@code tmp/} while streaming in, fsync'ed, then atomically
 * renamed to {@code blobs/<2 hex>/<uuid>}; a crash never leaves a half-written blob under a key. Each service makes
 * its own, on the directory its configuration names.
 */
public class FileSystemBlobStore implements BlobStore {

    private static final int BUFFER = 64 * 1024;
    private final Path root;

    public FileSystemBlobStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public Stored put(InputStream in, long maxBytes, String algorithm) throws IOException {
        Path tmpDir = Files.createDirectories(root.resolve("tmp"));
        String id = UUID.randomUUID().toString();
        Path tmp = tmpDir.resolve(id);
        MessageDigest digest = digest(algorithm);
        long size = 0;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            try (var channel = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            String key = "blobs/" + id.substring(0, 2) + "/" + id;
            Path target = resolve(key);
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return new Stored(key, size, digest.digest());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(resolve(key));
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public Stream<String> keysOlderThan(Instant cutoff) throws IOException {
        Path blobs = root.resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return Stream.empty();
        }
        return Files.walk(blobs, 2).filter(Files::isRegularFile).filter(p -> {
            try {
                return Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
            } catch (IOException e) {
                return false;
            }
        }).map(p -> root.relativize(p).toString());
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || !key.matches("blobs/[0-9a-f]{2}/[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not a blob key: " + key);
        }
        return path;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("no digest algorithm " + algorithm, e);
        }
    }

}
