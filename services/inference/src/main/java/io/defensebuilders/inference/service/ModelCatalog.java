package io.defensebuilders.inference.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.inference.Model;
import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.inference.repository.ModelStore;
import io.defensebuilders.inference.runtime.Batching;
import io.defensebuilders.inference.runtime.ModelRuntime;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.blob.BlobStore;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;

/**
 * Models and their versions: upload (streamed to the blob store, hashed, read by ONNX Runtime before it is
 * catalogued), the catalog a caller sees, loading and unloading, the default version. Runs on worker threads.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** What an upload asks for. */
    public record Upload(String name, String version, String description, boolean isPublic, String sha256,
            Batching batching) {
    }

    /** A model as a caller sees it, with its versions. */
    public record Entry(Model model, List<ModelVersion> versions) {
    }

    /** A version a caller's call resolved to, until {@code expires} (System.nanoTime). */
    private record Resolved(ModelVersion version, long expires) {
    }

    /** Most resolutions held at once; beyond it the cache starts again (tenants x models x versions called). */
    private static final int MAX_RESOLVED = 10_000;

    /**
     * What calls resolved, by caller tenant, model and version (null: the default): the hot path asked PostgreSQL
     * two or three questions per call (4 of the 6 ms a call took, bench/README.md). Held for
     * {@code dbp.inference.catalog.cache-ttl}, dropped at once by any change this replica makes; another replica's
     * change (a new default version, an unload, a visibility) reaches calls here within that time.
     */
    private final Map<List<String>, Resolved> resolved = new ConcurrentHashMap<>();
    private final ModelStore store;
    private final BlobStore blobs;
    private final ModelRuntime runtime;
    private final InferenceConfig config;

    public ModelCatalog(ModelStore store, BlobStore blobs, ModelRuntime runtime, InferenceConfig config) {
        this.store = store;
        this.blobs = blobs;
        this.runtime = runtime;
        this.config = config;
    }

    /** Stores, checks and catalogues a new version, and loads it on this replica. */
    public ModelVersion upload(Caller caller, Upload upload, InputStream body, long contentLength) {
        return upload(caller, upload, body, contentLength, config.models().maxBytes());
    }

    /** As {@link #upload(Caller, Upload, InputStream, long)}, with a size limit of the caller's own (platform models). */
    ModelVersion upload(Caller caller, Upload upload, InputStream body, long contentLength, long max) {
        String name = checked("name", upload.name(), NAME, "lowercase letters, digits, '.', '_' and '-', at most 63");
        String version = checked("version", upload.version(), VERSION,
                "letters, digits, '.', '_', '+' and '-', at most 64");
        String description = upload.description() == null ? "" : upload.description().strip();
        if (description.length() > 2000) {
            throw ProblemException.invalid("description", "at most 2000 characters");
        }
        String expected = upload.sha256() == null ? null : upload.sha256().toLowerCase(Locale.ROOT);
        if (expected != null && !SHA256.matcher(expected).matches()) {
            throw ProblemException.invalid("sha256", "64 hexadecimal digits");
        }
        // in range: the API reads them with Params.integer (and the table checks them again)
        Batching batching = upload.batching() == null ? Batching.DEFAULT : upload.batching();
        if (!caller.has(Role.BUILDER)) {
            throw ProblemException.forbidden("uploading a model needs the builder role");
        }
        if (upload.isPublic() && !caller.has(Role.PLATFORM_ADMIN)) {
            throw ProblemException.forbidden("only platform admins publish public models");
        }
        if (contentLength > max) {
            throw tooLarge(max);
        }
        if (await(store.version(caller.tenant(), name, version)).isPresent()) {
            throw versionExists(name, version);
        }
        BlobStore.Stored stored;
        try {
            stored = blobs.put(body, max, "SHA-256");
        } catch (BlobStore.TooLargeException e) {
            throw tooLarge(max);
        } catch (IOException e) {
            throw ProblemException.badRequest("the upload was interrupted: " + e.getMessage());
        }
        boolean keep = false;
        try {
            if (stored.size() == 0) {
                throw ProblemException.badRequest("the model file is empty");
            }
            String sha256 = HexFormat.of().formatHex(stored.digest());
            if (expected != null && !expected.equals(sha256)) {
                throw ProblemException.badRequest("the body's sha256 is " + sha256 + ", not the " + expected + " sent");
            }
            // opened once: read for its signature now, then serving as the new version (a 90 MB model takes seconds
            // to optimize; opening it twice doubled an upload's time)
            try (ModelRuntime.Opened opened = runtime.open(read(stored.key()))) {
                ModelVersion v = new ModelVersion(UUID.randomUUID(), caller.tenant(), name, version, stored.key(),
                        stored.size(), sha256, opened.signature(), batching, true, caller.subject(), Instant.now());
                try {
                    await(store.add(new Model(caller.tenant(), name, description, upload.isPublic(), version, null), v));
                    resolved.clear();
                } catch (RuntimeException e) {
                    if (Sql.isUniqueViolation(e)) {
                        throw versionExists(name, version);
                    }
                    throw e;
                }
                keep = true;
                runtime.adopt(v.id(), opened, v.batching());
                return v;
            }
        } finally {
            if (!keep) {
                deleteQuietly(stored.key());
            }
        }
    }

    /** Every model the caller sees (their tenant's and the public ones), each with its versions. */
    public List<Entry> list(Caller caller) {
        return await(store.visibleAll(caller.tenant())).stream()
                .map(m -> new Entry(m, await(store.versions(m.tenant(), m.name())))).toList();
    }

    /** One model the caller sees, with its versions; 404 otherwise (another tenant's private model too). */
    public Entry get(Caller caller, String name) {
        Model model = visible(caller, name);
        return new Entry(model, await(store.versions(model.tenant(), model.name())));
    }

    /** The version a call means: the given one, or the model's default. */
    public ModelVersion resolve(Caller caller, String name, String version) {
        List<String> key = Arrays.asList(caller.tenant(), name, version);
        Resolved hit = resolved.get(key);
        if (hit != null && System.nanoTime() - hit.expires() < 0) {
            return hit.version();
        }
        ModelVersion v = resolveFromStore(caller, name, version);
        long ttl = config.catalog().cacheTtl().toNanos();
        if (ttl > 0) {
            if (resolved.size() >= MAX_RESOLVED) {
                resolved.clear();
            }
            resolved.put(key, new Resolved(v, System.nanoTime() + ttl));
        }
        return v;
    }

    private ModelVersion resolveFromStore(Caller caller, String name, String version) {
        Model model = visible(caller, name);
        String wanted = version == null ? model.defaultVersion() : version;
        return await(store.version(model.tenant(), model.name(), wanted)).orElseThrow(
                () -> ProblemException.notFound("model '" + name + "' has no version '" + wanted + "'"));
    }

    /** Sets whether every replica holds a version in memory, and acts on this one at once. */
    public ModelVersion setLoaded(Caller caller, String name, String version, boolean loaded) {
        ModelVersion before = owned(caller, name, version);
        await(store.setLoaded(before.tenant(), before.name(), before.version(), loaded));
        resolved.clear();
        ModelVersion v = await(store.version(before.tenant(), before.name(), before.version())).orElseThrow();
        if (loaded) {
            ensureLoaded(v);
        } else {
            runtime.unload(v.id());
        }
        return v;
    }

    /** Makes a version the one calls without a version reach. */
    public Entry setDefault(Caller caller, String name, String version) {
        ModelVersion v = owned(caller, name, version);
        await(store.setDefault(v.tenant(), v.name(), v.version()));
        resolved.clear();
        return get(caller, name);
    }

    /** Loads a catalogued version on this replica when it should be held and is not yet. */
    public ModelRuntime.Status ensureLoaded(ModelVersion v) {
        ModelRuntime.Status status = runtime.status(v.id());
        if (status != null || !v.loaded()) {
            return status;
        }
        byte[] bytes;
        try {
            bytes = read(v.blobKey());
        } catch (ProblemException e) {
            LOG.warnf("model %s/%s@%s: %s", v.tenant(), v.name(), v.version(), e.getMessage());
            return runtime.failed(v.id(), e.getMessage());
        }
        return runtime.load(v.id(), bytes, v.batching());
    }

    /** Brings this replica in line with the catalog: loads what should be held, drops what should not. */
    public void sync() {
        List<ModelVersion> wanted = await(store.toLoad());
        java.util.Set<UUID> keep = new java.util.HashSet<>();
        for (ModelVersion v : wanted) {
            keep.add(v.id());
            ensureLoaded(v);
        }
        for (UUID held : runtime.known()) {
            if (!keep.contains(held)) {
                runtime.unload(held);
            }
        }
    }

    private ModelVersion owned(Caller caller, String name, String version) {
        Model model = visible(caller, name);
        if (!caller.can(Role.BUILDER, model.tenant()) && !caller.has(Role.PLATFORM_ADMIN)) {
            throw ProblemException.forbidden("changing model '" + name + "' needs the builder role in its tenant");
        }
        return await(store.version(model.tenant(), model.name(), version)).orElseThrow(
                () -> ProblemException.notFound("model '" + name + "' has no version '" + version + "'"));
    }

    private Model visible(Caller caller, String name) {
        return await(store.visible(caller.tenant(), name))
                .orElseThrow(() -> ProblemException.notFound("no model '" + name + "'"));
    }

    private byte[] read(String key) {
        try (InputStream in = blobs.open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw ProblemException.badRequest("the model file cannot be read back: " + e.getMessage());
        }
    }

    private void deleteQuietly(String key) {
        try {
            blobs.delete(key);
        } catch (IOException e) {
            LOG.warnf("could not delete refused upload %s: %s", key, e.getMessage());
        }
    }

    private static String checked(String field, String value, Pattern pattern, String rule) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw ProblemException.invalid(field, rule);
        }
        return value;
    }

    private static ProblemException versionExists(String name, String version) {
        return ProblemException.conflict("model '" + name + "' already has version '" + version
                + "'; versions are immutable, upload a new one");
    }

    private static ProblemException tooLarge(long max) {
        return ProblemException.tooLarge("a model file is at most " + max + " bytes").with("limitBytes", max);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(DB_TIMEOUT);
    }
}
