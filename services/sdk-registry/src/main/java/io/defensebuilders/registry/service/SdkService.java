package io.defensebuilders.registry.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.events.RegistryV1;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.registry.Category;
import io.defensebuilders.registry.Names;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.SdkVersion;
import io.defensebuilders.registry.SemVer;
import io.defensebuilders.registry.SpdxLicenses;
import io.defensebuilders.registry.config.RegistryConfig;
import io.defensebuilders.registry.repository.DistTagRepository;
import io.defensebuilders.registry.repository.DownloadRepository;
import io.defensebuilders.registry.repository.PublisherRepository;
import io.defensebuilders.registry.repository.SdkRepository;
import io.defensebuilders.registry.repository.SdkRowRepository;
import io.defensebuilders.registry.repository.VersionRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * SDKs and their versions: creation, metadata, publishing, yanking, deprecation and dist-tags. Every write runs in
 * one transaction with its outbox event, and version writes lock the SDK row so that {@code latest} is recomputed
 * by one writer at a time. SDK creation and metadata changes go through Hibernate Reactive (its session carries the
 * outbox event too); reads and version writes run explicit SQL on the reactive client, each in one transaction of
 * their own (docs/adr/0001-data-access.md).
 */
@ApplicationScoped
public class SdkService {

    /** The derived dist-tag: highest version that is neither a prerelease nor yanked. */
    public static final String LATEST = "latest";

    private final Pool pool;
    private final SdkRepository sdks;
    private final SdkRowRepository rows;
    private final VersionRepository versions;
    private final PublisherRepository publishers;
    private final DistTagRepository tags;
    private final DownloadRepository downloads;
    private final RegistryEvents events;
    private final SpdxLicenses licenses;
    private final VersionIndexCache cache;
    private final int readmeMaxBytes;

    public SdkService(Pool pool, SdkRepository sdks, SdkRowRepository rows, VersionRepository versions,
            PublisherRepository publishers, DistTagRepository tags, DownloadRepository downloads, RegistryEvents events,
            SpdxLicenses licenses, VersionIndexCache cache, RegistryConfig config) {
        this.readmeMaxBytes = config.readmeMaxBytes();
        this.pool = pool;
        this.sdks = sdks;
        this.rows = rows;
        this.versions = versions;
        this.publishers = publishers;
        this.tags = tags;
        this.downloads = downloads;
        this.events = events;
        this.licenses = licenses;
        this.cache = cache;
    }

    // ---- SDKs --------------------------------------------------------------------------------------------------

    /** The publisher lookup, the SDK row and its outbox event: one Hibernate Reactive transaction. */
    @WithSpan
    @WithTransaction
    public Uni<Sdk> create(Caller caller, SdkCommands.NewSdk req) {
        requireRole(caller, Role.PUBLISHER, "publishing an SDK");
        String license = canonicalLicense("license", req.license());
        List<String> categories = categories(req.categories());
        List<String> keywords = distinct(req.tags());
        return publishers.findByName(req.publisher())
                .map(p -> p.filter(found -> found.tenant().equals(caller.tenant()))
                        .orElseThrow(() -> ProblemException.invalid("publisher",
                                "no publisher named '" + req.publisher() + "' in your tenant")))
                .chain(publisher -> {
                    Instant now = Instant.now();
                    Sdk sdk = new Sdk(UUID.randomUUID(), req.name(), caller.tenant(), publisher.id(), publisher.name(),
                            req.title(), req.description() == null ? "" : req.description(), license,
                            req.homepage(), req.repository(), keywords, categories, req.visibility(), null, 0,
                            caller.subject(), now, now);
                    return sdks.insert(sdk)
                            .chain(() -> events.registryInSession(RegistryV1.SDK_PUBLISHED, sdk, null, caller.subject(),
                                    null, now))
                            .replaceWith(sdk);
                })
                .onFailure(UniqueViolations::test)
                .transform(e -> ProblemException.conflict("the SDK name '" + req.name() + "' is taken"));
    }

    /** The SDK if the caller may see it; 404 otherwise, whether it is missing or private to another tenant. */
    public Uni<Sdk> visible(Caller caller, String name) {
        if (!Names.validName(name)) {
            return Uni.createFrom().failure(notFound(name));
        }
        return rows.findByName(pool, name).map(found -> found.filter(s -> s.visibleTo(caller.tenant()))
                .orElseThrow(() -> notFound(name)));
    }

    /**
     * Changes metadata through Hibernate Reactive, the row locked as version writes lock it. The transaction is
     * opened here rather than by {@code @WithTransaction} so that the resolve cache is evicted after the commit: evicted
     * before it, a concurrent resolve could cache the old visibility again.
     */
    @WithSpan
    public Uni<Sdk> update(Caller caller, String name, SdkCommands.SdkChanges changes) {
        if (!Names.validName(name)) {
            return Uni.createFrom().failure(notFound(name));
        }
        return Panache.withTransaction(() -> sdks.findByNameForUpdate(name).map(found -> writable(caller, name, found))
                .chain(sdk -> {
                    Sdk updated = new Sdk(sdk.id(), sdk.name(), sdk.tenant(), sdk.publisherId(), sdk.publisher(),
                            or(changes.title(), sdk.title()), or(changes.description(), sdk.description()),
                            changes.license() == null ? sdk.license() : canonicalLicense("license", changes.license()),
                            emptyToNull(or(changes.homepage(), sdk.homepage())),
                            emptyToNull(or(changes.repository(), sdk.repository())),
                            changes.tags() == null ? sdk.tags() : distinct(changes.tags()),
                            changes.categories() == null ? sdk.categories() : categories(changes.categories()),
                            or(changes.visibility(), sdk.visibility()), sdk.latestVersion(), sdk.downloads(), sdk.createdBy(),
                            sdk.createdAt(), Instant.now());
                    return sdks.updateMetadata(updated);
                })).call(sdk -> cache.evict(sdk.name()));
    }

    /** Dist-tags, {@code latest} included when there is one. */
    public Uni<Map<String, String>> distTags(Caller caller, String name) {
        return visible(caller, name).chain(sdk -> tags.findAll(pool, sdk.id()).map(all -> {
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

    public Uni<List<DownloadRepository.DailyCount>> downloads(Caller caller, String name, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            return Uni.createFrom().failure(ProblemException.invalid("from", "must not be after 'to'"));
        }
        if (from.plusDays(366).isBefore(to)) {
            return Uni.createFrom().failure(ProblemException.invalid("to", "ranges are limited to 366 days"));
        }
        return visible(caller, name).chain(sdk -> downloads.daily(pool, sdk.id(), from, to));
    }

    // ---- versions ----------------------------------------------------------------------------------------------

    /** Every version, newest first by SemVer precedence (yanked ones included and flagged). */
    public Uni<List<SdkVersion>> versions(Caller caller, String name) {
        return visible(caller, name).chain(sdk -> versions.listSummaries(pool, sdk.id()))
                .map(list -> list.stream().sorted(Comparator.comparing(SdkVersion::version).reversed()).toList());
    }

    /** One version by exact version, even when yanked (that is what exact references are for). */
    public Uni<SdkVersion> version(Caller caller, String name, String version) {
        SemVer v = parseVersion(version);
        return visible(caller, name).chain(sdk -> versions.find(pool, sdk.id(), v))
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
                .onFailure(UniqueViolations::test)
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
            return Uni.createFrom().failure(notFound(name));
        }
        return rows.findByName(tx, name).map(found -> writable(caller, name, found))
                .call(sdk -> rows.lock(tx, sdk.id()));
    }

    /** The SDK if the caller may change it: 404 when it is missing or invisible, 403 without the role in its tenant. */
    private static Sdk writable(Caller caller, String name, Optional<Sdk> found) {
        Sdk sdk = found.filter(s -> s.visibleTo(caller.tenant())).orElseThrow(() -> notFound(name));
        if (!caller.can(Role.PUBLISHER, sdk.tenant())) {
            throw ProblemException.forbidden(caller.tenant().equals(sdk.tenant())
                    ? "changing '" + name + "' needs the publisher role"
                    : "'" + name + "' belongs to another tenant");
        }
        return sdk;
    }

    // ---- validation helpers ------------------------------------------------------------------------------------

    static SemVer parseVersion(String version) {
        return SemVer.parse(version).orElseThrow(() -> ProblemException.invalid("version",
                "'" + version + "' is not a SemVer 2.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], e.g. 1.4.0)"));
    }

    private String canonicalLicense(String field, String expression) {
        return licenses.canonical(expression).orElseThrow(() -> ProblemException.invalid(field,
                "'" + expression + "' is not an SPDX license expression of SPDX license list " + licenses.listVersion()
                        + " ids (e.g. Apache-2.0, MIT OR Apache-2.0, LicenseRef-acme)"));
    }

    private static List<String> categories(List<String> requested) {
        List<String> out = new ArrayList<>();
        for (String c : requested == null ? List.<String> of() : requested) {
            String id = Category.fromId(c).map(Category::id).orElseThrow(() -> ProblemException.invalid("categories",
                    "unknown category '" + c + "'; known: " + Category.allowed()));
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
    }

    private static void requireRole(Caller caller, Role role, String what) {
        if (!caller.has(role)) {
            throw ProblemException.forbidden(what + " needs the " + role.claimValue() + " role");
        }
    }

    static ProblemException notFound(String name) {
        return ProblemException.notFound("no SDK named '" + name + "'");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

}
