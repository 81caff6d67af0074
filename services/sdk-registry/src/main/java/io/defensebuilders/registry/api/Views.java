package io.defensebuilders.registry.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.registry.Artifact;
import io.defensebuilders.registry.EnvironmentTemplate;
import io.defensebuilders.registry.Publisher;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.SdkVersion;
import io.defensebuilders.registry.Visibility;
import io.defensebuilders.registry.repository.DownloadRepository;
import io.defensebuilders.registry.repository.SearchRepository;
import io.defensebuilders.registry.service.ResolveService;

/** Response bodies: the public shape of publishers, SDKs and versions. */
public final class Views {

    private Views() {
    }

    @Schema(name = "Publisher")
    public record PublisherView(String name, String displayName, String url, Instant createdAt) {
        static PublisherView of(Publisher p) {
            return new PublisherView(p.name(), p.displayName(), p.url(), p.createdAt());
        }
    }

    @Schema(name = "Sdk")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SdkView(String name, String title, String description, String publisher, String license,
            String homepage, String repository, List<String> tags, List<String> categories, Visibility visibility,
            String latestVersion, long downloads, Instant createdAt, Instant updatedAt,
            @Schema(description = "Search relevance; only in search results sorted by relevance") BigDecimal score) {
        static SdkView of(Sdk s) {
            return of(s, null);
        }

        static SdkView of(Sdk s, BigDecimal score) {
            return new SdkView(s.name(), s.title(), s.description(), s.publisher(), s.license(), s.homepage(),
                    s.repository(), s.tags(), s.categories(), s.visibility(), s.latestVersion(), s.downloads(),
                    s.createdAt(), s.updatedAt(), score);
        }
    }

    @Schema(name = "SearchResults")
    public record SearchView(List<SdkView> items,
            @Schema(description = "Pass as 'cursor' for the next page; absent on the last page") String nextCursor) {
        static SearchView of(List<SearchRepository.Hit> hits, String next, boolean withScore) {
            return new SearchView(hits.stream().map(h -> SdkView.of(h.sdk(), withScore ? h.score() : null)).toList(), next);
        }
    }

    @Schema(name = "Artifact")
    public record ArtifactView(long size, @Schema(description = "SRI string, sha512-<base64>") String integrity,
            String mediaType, String filename, Instant uploadedAt, String downloadPath) {
    }

    @Schema(name = "SdkVersion")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(String sdk, String version, boolean prerelease, String readme, String image,
            String imageDigest, EnvironmentTemplate environmentTemplate, ArtifactView artifact, boolean yanked,
            String yankReason, Instant yankedAt, boolean deprecated, String deprecationMessage, String publishedBy,
            Instant publishedAt) {
        static VersionView of(String sdk, SdkVersion v, boolean withReadme) {
            Artifact a = v.artifact();
            ArtifactView artifact = a == null ? null
                    : new ArtifactView(a.size(), a.integrity(), a.mediaType(),
                            a.filename(), a.uploadedAt(), "/api/v1/sdks/" + sdk + "/versions/" + v.version() + "/artifact");
            return new VersionView(sdk, v.version().text(), v.version().prerelease(), withReadme ? v.readme() : null,
                    v.image(), v.imageDigest(), v.environmentTemplate(), artifact, v.yanked(), v.yankReason(),
                    v.yankedAt(), v.deprecationMessage() != null, v.deprecationMessage(), v.publishedBy(),
                    v.publishedAt());
        }
    }

    @Schema(name = "Resolution")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResolutionView(String name, String version, String image, String imageDigest,
            EnvironmentTemplate environmentTemplate, String integrity, boolean yanked, String deprecationMessage) {
        static ResolutionView of(ResolveService.Resolution r) {
            var v = r.version();
            return new ResolutionView(r.name(), v.version(), v.image(), v.imageDigest(), v.environmentTemplate(),
                    v.integrity(), v.yanked(), v.deprecationMessage());
        }
    }

    @Schema(name = "Downloads")
    public record DownloadsView(String sdk, LocalDate from, LocalDate to, long total,
            List<DownloadRepository.DailyCount> days) {
    }
}
