package io.defensebuilders.registry.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.registry.Names;
import io.defensebuilders.registry.SdkVersion;
import io.defensebuilders.registry.SemVer;
import io.defensebuilders.registry.repository.DistTagRepository;
import io.defensebuilders.registry.repository.SdkRowRepository;
import io.defensebuilders.registry.repository.VersionRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Answers "which version of this SDK should I run?" for a SemVer range (npm syntax) or a dist-tag, from the cached
 * {@link VersionIndex}. Ranges never pick a yanked version; a dist-tag or an exact version names one explicitly
 * and finds it even when yanked, flagged as such.
 */
@ApplicationScoped
public class ResolveService {

    /** The version chosen and the SDK it belongs to. */
    public record Resolution(String name, String ownerTenant, VersionIndex.Entry version) {
    }

    private final Pool pool;
    private final SdkRowRepository sdks;
    private final VersionRepository versions;
    private final DistTagRepository tags;
    private final VersionIndexCache cache;

    public ResolveService(Pool pool, SdkRowRepository sdks, VersionRepository versions, DistTagRepository tags,
            VersionIndexCache cache) {
        this.pool = pool;
        this.sdks = sdks;
        this.versions = versions;
        this.tags = tags;
        this.cache = cache;
    }

    @WithSpan
    public Uni<Resolution> resolve(String callerTenant, String name, String spec, boolean includePrerelease) {
        if (!Names.validName(name)) {
            return Uni.createFrom().failure(ProblemException.invalid("name", Names.NAME_RULE));
        }
        String wanted = spec == null || spec.isBlank() ? VersionService.LATEST : spec.trim();
        return cache.get(name, () -> load(name))
                .map(found -> found.filter(index -> index.visibleTo(callerTenant))
                        .orElseThrow(() -> SdkService.notFound(name)))
                .map(index -> new Resolution(index.name(), index.tenant(), pick(index, wanted, includePrerelease)));
    }

    static VersionIndex.Entry pick(VersionIndex index, String wanted, boolean includePrerelease) {
        if (Names.validTag(wanted) && SemVer.Range.parse(wanted, false).isEmpty()) {
            String tagged = VersionService.LATEST.equals(wanted) ? index.latest() : index.tags().get(wanted);
            if (tagged == null) {
                throw ProblemException.notFound(VersionService.LATEST.equals(wanted)
                        ? "'" + index.name() + "' has no stable, unyanked version for 'latest'"
                        : "'" + index.name() + "' has no dist-tag '" + wanted + "'");
            }
            return entry(index, SemVer.parse(tagged).orElseThrow()).orElseThrow();
        }
        Optional<SemVer> exact = SemVer.parse(wanted);
        if (exact.isPresent()) {
            return entry(index, exact.get()).orElseThrow(() -> ProblemException.notFound(
                    "'" + index.name() + "' has no version " + wanted));
        }
        SemVer.Range range = SemVer.Range.parse(wanted, includePrerelease).orElseThrow(() -> ProblemException
                .invalid("range", "'" + wanted + "' is neither a SemVer range (e.g. ^1.2, ~1.2.3, >=1 <2) nor a dist-tag"));
        return index.versions().stream()
                .filter(e -> !e.yanked())
                .map(e -> new Candidate(e, SemVer.parse(e.version()).orElseThrow()))
                .filter(c -> range.satisfiedBy(c.version()))
                .max(Comparator.comparing(Candidate::version))
                .map(Candidate::entry)
                .orElseThrow(() -> ProblemException.notFound(
                        "no unyanked version of '" + index.name() + "' satisfies '" + wanted + "'"));
    }

    private record Candidate(VersionIndex.Entry entry, SemVer version) {
    }

    private static Optional<VersionIndex.Entry> entry(VersionIndex index, SemVer version) {
        return index.versions().stream()
                .filter(e -> SemVer.parse(e.version()).map(v -> v.key().equals(version.key())).orElse(false))
                .findFirst();
    }

    private Uni<Optional<VersionIndex>> load(String name) {
        return sdks.findByName(pool, name).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<VersionIndex> empty());
            }
            var sdk = found.get();
            return versions.listSummaries(pool, sdk.id()).chain(list -> tags.findAll(pool, sdk.id()).map(tagMap -> {
                List<VersionIndex.Entry> entries = new ArrayList<>();
                for (SdkVersion v : list) {
                    entries.add(new VersionIndex.Entry(v.version().text(), v.yanked(), v.deprecationMessage(), v.image(),
                            v.imageDigest(), v.environmentTemplate(), v.artifact() == null ? null : v.artifact().integrity()));
                }
                return Optional.of(new VersionIndex(sdk.name(), sdk.tenant(), sdk.visibility(), sdk.latestVersion(),
                        tagMap, entries));
            }));
        });
    }
}
