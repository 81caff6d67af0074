package io.defensebuilders.registry.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.events.RegistryV1;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Category;
import io.defensebuilders.registry.Names;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.SpdxLicenses;
import io.defensebuilders.registry.repository.DownloadRepository;
import io.defensebuilders.registry.repository.PublisherRepository;
import io.defensebuilders.registry.repository.SdkRepository;
import io.defensebuilders.registry.repository.SdkRowRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * SDKs: creation, metadata, visibility and download counts; their versions and dist-tags are {@link VersionService}'s.
 * SDK creation and metadata changes go through Hibernate Reactive, whose session carries the outbox event too; reads
 * run explicit SQL on the reactive client (docs/adr/0001-data-access.md).
 */
@ApplicationScoped
public class SdkService {

    private final Pool pool;
    private final SdkRepository sdks;
    private final SdkRowRepository rows;
    private final PublisherRepository publishers;
    private final DownloadRepository downloads;
    private final RegistryEvents events;
    private final SpdxLicenses licenses;
    private final VersionIndexCache cache;

    public SdkService(Pool pool, SdkRepository sdks, SdkRowRepository rows, PublisherRepository publishers,
            DownloadRepository downloads, RegistryEvents events, SpdxLicenses licenses, VersionIndexCache cache) {
        this.pool = pool;
        this.sdks = sdks;
        this.rows = rows;
        this.publishers = publishers;
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
                .onFailure(Sql::isUniqueViolation)
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

    public Uni<List<DownloadRepository.DailyCount>> downloads(Caller caller, String name, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            return Uni.createFrom().failure(ProblemException.invalid("from", "must not be after 'to'"));
        }
        if (from.plusDays(366).isBefore(to)) {
            return Uni.createFrom().failure(ProblemException.invalid("to", "ranges are limited to 366 days"));
        }
        return visible(caller, name).chain(sdk -> downloads.daily(pool, sdk.id(), from, to));
    }

    /** The SDK if the caller may change it: 404 when it is missing or invisible, 403 without the role in its tenant. */
    static Sdk writable(Caller caller, String name, Optional<Sdk> found) {
        Sdk sdk = found.filter(s -> s.visibleTo(caller.tenant())).orElseThrow(() -> SdkService.notFound(name));
        if (!caller.can(Role.PUBLISHER, sdk.tenant())) {
            throw ProblemException.forbidden(caller.tenant().equals(sdk.tenant())
                    ? "changing '" + name + "' needs the publisher role"
                    : "'" + name + "' belongs to another tenant");
        }
        return sdk;
    }

    // ---- validation helpers ------------------------------------------------------------------------------------

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
