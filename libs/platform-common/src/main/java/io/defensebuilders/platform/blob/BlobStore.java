package io.defensebuilders.platform.blob;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Where large immutable bytes live (SDK artifacts, model files). Implementations stream: no method holds a whole
 * blob in memory. The filesystem store is the default; an S3-compatible store implements the same contract.
 */
public interface BlobStore {

    /** What {@link #put} stored: its key, size and digest in the algorithm asked for. */
    record Stored(String key, long size, byte[] digest) {
    }

    /** Thrown by {@link #put} once more than {@code maxBytes} arrived; nothing is kept. */
    class TooLargeException extends IOException {
        public TooLargeException(long maxBytes) {
            super("more than " + maxBytes + " bytes");
        }
    }

    /**
     * Streams {@code in} into a new blob, computing its digest on the way.
     *
     * @param algorithm a {@link java.security.MessageDigest} algorithm, e.g. {@code SHA-256} or {@code SHA-512}
     */
    Stored put(InputStream in, long maxBytes, String algorithm) throws IOException;

    /** Opens a stored blob for reading. */
    InputStream open(String key) throws IOException;

    /** Size in bytes of a stored blob, or -1 when it is missing. */
    long size(String key);

    /** Removes a blob; no error when it is already gone. */
    void delete(String key) throws IOException;

    /** Keys of the blobs last written before {@code cutoff}, for garbage collection. */
    Stream<String> keysOlderThan(Instant cutoff) throws IOException;
}
