package io.defensebuilders.registry.blob;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where artifact bytes live. Implementations stream: no method holds a whole blob in memory. The filesystem store is
 * the default; an S3-compatible store implements the same contract.
 */
public interface BlobStore {

    /** What {@link #put} stored. */
    record Stored(String key, long size, byte[] sha512) {
    }

    /** Thrown by {@link #put} once more than {@code maxBytes} arrived; nothing is kept. */
    class TooLargeException extends IOException {
        public TooLargeException(long maxBytes) {
            super("more than " + maxBytes + " bytes");
        }
    }

    /** Streams {@code in} into a new blob, computing its SHA-512 on the way. */
    Stored put(InputStream in, long maxBytes) throws IOException;

    /** Opens a stored blob for reading. */
    InputStream open(String key) throws IOException;

    /** Size in bytes of a stored blob, or -1 when it is missing. */
    long size(String key);

    /** Removes a blob; no error when it is already gone. */
    void delete(String key) throws IOException;

    /** Keys of the blobs last written before {@code cutoff}, for garbage collection. */
    java.util.stream.Stream<String> keysOlderThan(java.time.Instant cutoff) throws IOException;
}
