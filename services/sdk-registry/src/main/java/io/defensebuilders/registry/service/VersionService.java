package io.defensebuilders.registry.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.RegistryV1;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Names;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.SdkVersion;
import io.defensebuilders.registry.SemVer;
import io.defensebuilders.registry.config.RegistryConfig;
import io.defensebuilders.registry.repository.DistTagRepository;
import io.defensebuilders.registry.repository.SdkRowRepository;
import io.defensebuilders.registry.repository.VersionRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The version lifecycle of an SDK: publishing, yanking, deprecation, dist-tags and the derived {@code latest}. Every
 * write runs in one SQL transaction with its outbox event and locks the SDK row, so that {@code latest} is recomputed
 * by one writer at a time (docs/adr/0001-data-access.md: these stay on SQL because they share that lock).
 */
@ApplicationScoped
public class VersionService {

    /** The derived dist-tag: highest version that is neither a prerelease nor yanked. */
    public static final String LATEST = "latest";

    private final Pool pool;
    private final SdkService sdks;
    private final SdkRowRepository rows;
    private final VersionRepository versions;
    private final DistTagRepository tags;
    private final RegistryEvents events;
    private final VersionIndexCache cache;
    private final int readmeMaxBytes;

    public VersionService(Pool pool, SdkService sdks, SdkRowRepository rows, VersionRepository versions,
            DistTagRepository tags, RegistryEvents events, VersionIndexCache cache, RegistryConfig config) {
        this.pool = pool;
        this.sdks = sdks;
        this.rows = rows;
        this.versions = versions;
        this.tags = tags;
        this.events = events;
        this.cache = cache;
        this.readmeMaxBytes = config.readmeMaxBytes();
    }

    /** Dist-tags, {@code latest} included when there is one. */
    public Uni<Map<String, String>> distTags(Caller caller, String name) {
        return sdks.visible(caller, name).chain(sdk -> tags.findAll(pool, sdk.id()).map(all -> {
            if (sdk.latestVersion() != null) {
                all.put(LATEST, sdk.latestVersion());
            }
            return all;
        }));
    }

    @WithSpan
    public Uni<Map<String, String>> putDistTag(Caller caller, String name, String tag, String version) {
        if (LATEST.equals(tag)) {
            return Uni.createFrom().failure(ProblemException.invalid("tag",
                    "'latest' always follows the highest stable version and cannot be set"));
        }
        if (!Names.validTag(tag) || SemVer.Range.parse(tag, false).isPresent()) {
            return Uni.createFrom().failure(ProblemException.invalid("tag",
                    "a dist-tag is a lowercase word (letters, digits, dashes; at most 32) that is not a version range"));
        }
        SemVer v = parseVersion(version);
        return pool.withTransaction(tx -> ownedForWrite(tx, caller, name)
                .chain(sdk -> versions.find(tx, sdk.id(), v)
                        .map(found -> found.orElseThrow(() -> ProblemException.invalid("version",
                                "'" + name + "' has no version " + version)))
                        .chain(found -> tags.put(tx, sdk.id(), tag, found.id(), caller.subject()))))
                .call(() -> cache.evict(name))
                .chain(() -> distTags(caller, name));
    }

    @WithSpan
    public Uni<Void> deleteDistTag(Caller caller, String name, String tag) {
        if (LATEST.equals(tag)) {
            return Uni.createFrom().failure(ProblemException.invalid("tag", "'latest' cannot be removed"));
        }
        return pool.withTransaction(tx -> ownedForWrite(tx, caller, name)
                .chain(sdk -> tags.delete(tx, sdk.id(), tag))
                .invoke(existed -> {
                    if (!existed) {
                        throw ProblemException.notFound("'" + name + "' has no dist-tag '" + tag + "'");
                    }
                }))
                .call(() -> cache.evict(name)).replaceWithVoid();
    }

    /** Every version, newest first by SemVer precedence (yanked ones included and flagged). */
    public Uni<List<SdkVersion>> versions(Caller caller, String name) {
        return sdks.visible(caller, name).chain(sdk -> versions.listSummaries(pool, sdk.id()))
                .map(list -> list.stream().sorted(Comparator.comparing(SdkVersion::version).reversed()).toList());
    }

    /** One version by exact version, even when yanked (that is what exact references are for). */
    public Uni<SdkVersion> version(Caller caller, String name, String version) {
        SemVer v = parseVersion(version);
        return sdks.visible(caller, name).chain(sdk -> versions.find(pool, sdk.id(), v))
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("'" + name + "' has no version " + version)));
    }

    @WithSpan
    public Uni<SdkVersion> publish(Caller caller, String name, SdkCommands.NewVersion req) {
        SemVer v = parseVersion(req.version());
        if (req.readme() != null && req.readme().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > readmeMaxBytes) {
            return Uni.createFrom().failure(ProblemException.invalid("readme", "at most " + readmeMaxBytes + " bytes"));
        }
        if (req.imageDigest() != null && req.image() == null) {
            return Uni.createFrom().failure(ProblemException.invalid("image", "required when imageDigest is given"));
        }
        if (req.image() != null && req.imageDigest() == null) {
            return Uni.createFrom().failure(ProblemException.invalid("imageDigest",
                    "required with image: environments run images by digest, never by tag"));
        }
        Instant now = Instant.now();
        return pool.withTransaction(tx -> ownedForWrite(tx, caller, name).chain(sdk -> {
            SdkVersion created = new SdkVersion(UUID.randomUUID(), sdk.id(), v, req.readme() == null ? "" : req.readme(),
                    req.image(), req.imageDigest(), req.environmentTemplate(), null, false, null, null, null, null,
                    caller.subject(), now);
            return versions.insert(tx, created)
                    .chain(() -> recomputeLatest(tx, sdk))
                    .chain(() -> events.registry(tx, RegistryV1.VERSION_PUBLISHED, sdk, v.text(), caller.subject(), null,
                            now))
                    .replaceWith(created);
        }))
                .onFailure(Sql::isUniqueViolation)
                .transform(e -> ProblemException.conflict("'" + name + "' already has version " + v.key()
                        + "; published versions are immutable, publish a new version instead"))
                .call(() -> cache.evict(name));
    }

    @WithSpan
    public Uni<SdkVersion> yank(Caller caller, String name, String version, String reason) {
        return changeVersion(caller, name, version, (tx, sdk, found, now) -> found.yanked()
                ? Uni.createFrom().item(found)
                : versions.setYanked(tx, found.id(), true, reason, now)
                        .chain(() -> recomputeLatest(tx, sdk))
                        .chain(() -> events.registry(tx, RegistryV1.VERSION_YANKED, sdk, found.version().text(),
                                caller.subject(), reason, now))
                        .replaceWith(found));
    }

    @WithSpan
    public Uni<SdkVersion> unyank(Caller caller, String name, String version) {
        return changeVersion(caller, name, version, (tx, sdk, found, now) -> !found.yanked()
                ? Uni.createFrom().item(found)
                : versions.setYanked(tx, found.id(), false, null, now).chain(() -> recomputeLatest(tx, sdk))
                        .replaceWith(found));
    }

    @WithSpan
    public Uni<SdkVersion> deprecate(Caller caller, String name, String version, String message) {
        return changeVersion(caller, name, version, (tx, sdk, found, now) -> versions
                .setDeprecation(tx, found.id(), message, now)
                .chain(() -> events.registry(tx, RegistryV1.VERSION_DEPRECATED, sdk, found.version().text(),
                        caller.subject(), message, now))
                .replaceWith(found));
    }

    @WithSpan
    public Uni<SdkVersion> undeprecate(Caller caller, String name, String version) {
        return changeVersion(caller, name, version,
                (tx, sdk, found, now) -> versions.setDeprecation(tx, found.id(), null, now).replaceWith(found));
    }

    /** A change to one existing version, under the SDK lock; answers the version as it is afterwards. */
    @FunctionalInterface
    private interface VersionChange {
        Uni<SdkVersion> apply(SqlConnection tx, Sdk sdk, SdkVersion found, Instant now);
    }

    private Uni<SdkVersion> changeVersion(Caller caller, String name, String version, VersionChange change) {
        SemVer v = parseVersion(version);
        return pool.withTransaction(tx -> ownedForWrite(tx, caller, name).chain(sdk -> versions.find(tx, sdk.id(), v)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("'" + name + "' has no version " + version)))
                .chain(found -> change.apply(tx, sdk, found, Instant.now())
                        .chain(() -> versions.find(tx, sdk.id(), v)).map(Optional::orElseThrow))))
                .call(() -> cache.evict(name));
    }

    /** Points {@code latest} at the highest version that is neither prerelease nor yanked. */
    private Uni<Void> recomputeLatest(SqlConnection tx, Sdk sdk) {
        return versions.listSummaries(tx, sdk.id()).chain(all -> {
            UUID latest = all.stream().filter(x -> !x.yanked() && !x.version().prerelease())
                    .max(Comparator.comparing(SdkVersion::version)).map(SdkVersion::id).orElse(null);
            return rows.setLatest(tx, sdk.id(), latest);
        });
    }

    /** Loads the SDK for a write: visible, owned by the caller's tenant, caller is a publisher; row locked. */
    private Uni<Sdk> ownedForWrite(SqlConnection tx, Caller caller, String name) {
        if (!Names.validName(name)) {
            return Uni.createFrom().failure(SdkService.notFound(name));
        }
        return rows.findByName(tx, name).map(found -> SdkService.writable(caller, name, found))
                .call(sdk -> rows.lock(tx, sdk.id()));
    }

    static SemVer parseVersion(String version) {
        return SemVer.parse(version).orElseThrow(() -> ProblemException.invalid("version",
                "'" + version + "' is not a SemVer 2.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], e.g. 1.4.0)"));
    }
}
