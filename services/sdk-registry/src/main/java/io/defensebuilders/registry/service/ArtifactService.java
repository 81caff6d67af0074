package io.defensebuilders.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.blob.BlobStore;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.defensebuilders.registry.Artifact;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.SdkVersion;
import io.defensebuilders.registry.config.RegistryConfig;
import io.defensebuilders.registry.repository.DownloadRepository;
import io.defensebuilders.registry.repository.VersionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Artifact upload and download, streaming both ways on a worker thread: bytes go straight between the HTTP
 * connection and the blob store, hashed with SHA-512 on the way. Downloads are verified against the stored SRI
 * integrity, and the last chunk is held back until the hash matches, so a client never receives a complete copy of
 * a damaged artifact.
 */
@ApplicationScoped
public class ArtifactService {

    private static final Logger LOG = Logger.getLogger(ArtifactService.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern REPR_DIGEST_SHA512 = Pattern.compile("(?:^|,)\\s*sha-512=:([A-Za-z0-9+/]+=*):");
    private static final int CHUNK = 64 * 1024;

    /** A download about to be served. */
    public record Download(Sdk sdk, SdkVersion version, Artifact artifact) {
    }

    private final Pool pool;
    private final SdkService sdks;
    private final VersionService lifecycle;
    private final VersionRepository versions;
    private final DownloadRepository downloads;
    private final RegistryEvents events;
    private final BlobStore blobs;
    private final VersionIndexCache cache;
    private final RegistryConfig config;
    private final Counter corrupt;

    public ArtifactService(Pool pool, SdkService sdks, VersionService lifecycle, VersionRepository versions,
            DownloadRepository downloads,
            RegistryEvents events, BlobStore blobs, VersionIndexCache cache, RegistryConfig config, MeterRegistry meters) {
        this.pool = pool;
        this.sdks = sdks;
        this.lifecycle = lifecycle;
        this.versions = versions;
        this.downloads = downloads;
        this.events = events;
        this.blobs = blobs;
        this.cache = cache;
        this.config = config;
        this.corrupt = Counter.builder("dbp.registry.artifact.integrity.failures")
                .description("downloads stopped because the stored bytes no longer match their sha512").register(meters);
    }

    /**
     * Stores the artifact of a version, once.
     *
     * @param contentLength the declared length, or -1 for a chunked upload
     * @param reprDigest the RFC 9530 {@code Repr-Digest} header, checked when it carries sha-512
     */
    @WithSpan
    public SdkVersion upload(Caller caller, String name, String version, InputStream body, long contentLength,
            String mediaType, String filename, String reprDigest) {
        long max = config.artifacts().maxBytes();
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!config.artifacts().mediaTypes().contains(type)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "artifacts are uploaded as one of "
                    + String.join(", ", config.artifacts().mediaTypes().stream().sorted().toList()) + ", not '" + type + "'");
        }
        if (contentLength > max) {
            throw tooLarge(max);
        }
        byte[] expected = expectedDigest(reprDigest);
        SdkVersion target = await(lifecycle.version(caller, name, version));
        Sdk sdk = await(sdks.visible(caller, name));
        if (!caller.can(Role.PUBLISHER, sdk.tenant())) {
            throw ProblemException.forbidden("uploading an artifact of '" + name + "' needs the publisher role in its tenant");
        }
        if (target.artifact() != null) {
            throw alreadyAttached(name, target);
        }
        BlobStore.Stored stored;
        try {
            stored = blobs.put(body, max, "SHA-512");
        } catch (BlobStore.TooLargeException e) {
            throw tooLarge(max);
        } catch (IOException e) {
            throw ProblemException.badRequest("the upload was interrupted: " + e.getMessage());
        }
        try {
            if (stored.size() == 0) {
                throw ProblemException.badRequest("the artifact is empty");
            }
            if (expected != null && !MessageDigest.isEqual(expected, stored.digest())) {
                throw ProblemException.badRequest("the body does not match its Repr-Digest sha-512");
            }
            Artifact artifact = new Artifact(stored.key(), stored.size(), sri(stored.digest()), type,
                    filename == null ? defaultFilename(name, target) : filename, Instant.now());
            boolean attached = await(pool.withTransaction(tx -> versions.attachArtifact(tx, target.id(), artifact)));
            if (!attached) {
                throw alreadyAttached(name, target);
            }
            await(cache.evict(name));
            return await(lifecycle.version(caller, name, version));
        } catch (RuntimeException e) {
            deleteQuietly(stored.key());
            throw e;
        }
    }

    /** Finds what to serve; 404 when the SDK, the version or its artifact does not exist for this caller. */
    public Download prepare(Caller caller, String name, String version) {
        SdkVersion v = await(lifecycle.version(caller, name, version));
        if (v.artifact() == null) {
            throw ProblemException.notFound("version " + v.version() + " of '" + name + "' has no artifact");
        }
        Sdk sdk = await(sdks.visible(caller, name));
        if (blobs.size(v.artifact().key()) != v.artifact().size()) {
            corrupt.increment();
            LOG.errorf("artifact of %s@%s is missing or has the wrong size in the blob store (key %s)", name,
                    v.version(), v.artifact().key());
            throw new ProblemException(500, "artifact-damaged", "Stored artifact is damaged",
                    "the stored artifact failed its integrity check; the operators have been alerted", null);
        }
        return new Download(sdk, v, v.artifact());
    }

    /**
     * Copies the artifact to {@code out}, verifying SHA-512. On a mismatch the final chunk is never written and an
     * IOException aborts the response, so the client sees a failed transfer rather than corrupt bytes.
     */
    public void stream(Download d, OutputStream out) throws IOException {
        MessageDigest sha512 = sha512();
        try (InputStream in = blobs.open(d.artifact().key())) {
            byte[] current = new byte[CHUNK];
            byte[] pending = new byte[CHUNK];
            int pendingLength = 0;
            int n;
            while ((n = in.readNBytes(current, 0, CHUNK)) > 0) {
                sha512.update(current, 0, n);
                if (pendingLength > 0) {
                    out.write(pending, 0, pendingLength);
                }
                byte[] swap = pending;
                pending = current;
                current = swap;
                pendingLength = n;
            }
            if (!sri(sha512.digest()).equals(d.artifact().integrity())) {
                corrupt.increment();
                LOG.errorf("artifact of %s@%s failed its sha512 check during download (key %s)", d.sdk().name(),
                        d.version().version(), d.artifact().key());
                throw new IOException("artifact integrity check failed; transfer aborted");
            }
            if (pendingLength > 0) {
                out.write(pending, 0, pendingLength);
            }
            out.flush();
        }
    }

    /** Counts a completed download (per version and day) and emits its usage event, in one transaction. */
    public void record(Caller caller, Download d) {
        Instant now = Instant.now();
        await(pool.withTransaction(
                tx -> downloads.record(tx, d.sdk().id(), d.version().id(), LocalDate.ofInstant(now, ZoneOffset.UTC))
                        .chain(() -> events.download(tx, caller.tenant(), caller.subject(), d.sdk(),
                                d.version().version().text(),
                                d.artifact().size(), now))));
    }

    /** The SRI string of a SHA-512 digest: {@code sha512-<base64>}. */
    public static String sri(byte[] sha512) {
        return "sha512-" + Base64.getEncoder().encodeToString(sha512);
    }

    /** The RFC 9530 {@code Repr-Digest} value for an SRI sha512 string. */
    public static String reprDigest(String sri) {
        return "sha-512=:" + sri.substring("sha512-".length()) + ":";
    }

    private static byte[] expectedDigest(String reprDigest) {
        if (reprDigest == null || reprDigest.isBlank()) {
            return null;
        }
        Matcher m = REPR_DIGEST_SHA512.matcher(reprDigest);
        if (!m.find()) {
            throw ProblemException.invalid("Repr-Digest", "must carry sha-512=:<base64>: (RFC 9530)");
        }
        try {
            byte[] digest = Base64.getDecoder().decode(m.group(1));
            if (digest.length != 64) {
                throw ProblemException.invalid("Repr-Digest", "a sha-512 digest is 64 bytes");
            }
            return digest;
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("Repr-Digest", "the sha-512 value is not base64");
        }
    }

    private static String defaultFilename(String name, SdkVersion v) {
        return name + "-" + v.version().text() + ".bin";
    }

    private ProblemException tooLarge(long max) {
        return ProblemException.tooLarge("artifacts are limited to " + max + " bytes").with("limitBytes", max);
    }

    private static ProblemException alreadyAttached(String name, SdkVersion v) {
        return ProblemException.conflict("version " + v.version() + " of '" + name
                + "' already has its artifact; versions are immutable, publish a new version instead");
    }

    private void deleteQuietly(String key) {
        try {
            blobs.delete(key);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not delete orphaned blob %s: %s", key, e.toString());
        }
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(DB_TIMEOUT);
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
