package io.defensebuilders.registry.api;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.registry.service.CatalogInfo;
import io.defensebuilders.registry.service.ResolveService;
import io.defensebuilders.registry.service.SdkCommands;
import io.defensebuilders.registry.service.SdkService;
import io.defensebuilders.registry.service.SearchService;
import io.defensebuilders.registry.service.VersionService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** SDKs: search, create, read, update, dist-tags, resolution, download statistics and the Backstage entity. */
@Path("/api/v1/sdks")
@Authenticated
@Tag(name = "SDKs")
public class SdkResource {

    private final SdkService sdks;
    private final VersionService versions;
    private final SearchService search;
    private final ResolveService resolver;
    private final CatalogInfo catalogInfo;
    private final TenantContext tenant;

    public SdkResource(SdkService sdks, VersionService versions, SearchService search, ResolveService resolver,
            CatalogInfo catalogInfo,
            TenantContext tenant) {
        this.sdks = sdks;
        this.versions = versions;
        this.search = search;
        this.resolver = resolver;
        this.catalogInfo = catalogInfo;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "Search the catalog", description = "Full text over name, title, tags, categories, description and "
            + "README, tolerant of misspellings (trigram similarity). Public SDKs and the caller's private ones. "
            + "Cursor pagination: pass nextCursor back as cursor.")
    public Uni<Views.SearchView> search(
            @Parameter(description = "Search text") @QueryParam("q") String q,
            @Parameter(description = "Category id, e.g. space") @QueryParam("category") String category,
            @Parameter(description = "Tag") @QueryParam("tag") String tag,
            @Parameter(description = "Publisher name") @QueryParam("publisher") String publisher,
            @Parameter(description = "relevance (default with q), downloads (default without), recent") @QueryParam("sort") String sort,
            @Parameter(description = "Page size, 1 to 100") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        boolean withScore = q != null && !q.isBlank() && (sort == null || sort.isBlank() || sort.equalsIgnoreCase("relevance"));
        return search.search(tenant.caller(), q, category, tag, publisher, sort, limit, cursor)
                .map(page -> Views.SearchView.of(page.hits(), page.nextCursor(), withScore));
    }

    @POST
    @Operation(summary = "Create an SDK", description = "Needs the publisher role; the publisher must belong to the caller's tenant.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The name is taken")
    public Uni<RestResponse<Views.SdkView>> create(@Valid @NotNull SdkCommands.NewSdk body) {
        return sdks.create(tenant.caller(), body)
                .map(sdk -> RestResponse.ResponseBuilder.<Views.SdkView> created(URI.create("/api/v1/sdks/" + sdk.name()))
                        .entity(Views.SdkView.of(sdk)).build());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get an SDK")
    public Uni<Views.SdkView> get(@PathParam("name") String name) {
        return sdks.visible(tenant.caller(), name).map(Views.SdkView::of);
    }

    @PATCH
    @Path("/{name}")
    @Operation(summary = "Change an SDK's metadata", description = "Absent fields keep their value; an empty homepage or repository removes it.")
    public Uni<Views.SdkView> update(@PathParam("name") String name, @Valid @NotNull SdkCommands.SdkChanges body) {
        return sdks.update(tenant.caller(), name, body).map(Views.SdkView::of);
    }

    @GET
    @Path("/{name}/dist-tags")
    @Operation(summary = "Dist-tags of an SDK", description = "tag → version; 'latest' follows the highest stable, unyanked version.")
    public Uni<Map<String, String>> distTags(@PathParam("name") String name) {
        return versions.distTags(tenant.caller(), name);
    }

    @PUT
    @Path("/{name}/dist-tags/{tag}")
    @Operation(summary = "Point a dist-tag at a version")
    public Uni<Map<String, String>> putDistTag(@PathParam("name") String name, @PathParam("tag") String tag,
            @Valid @NotNull SdkCommands.DistTag body) {
        return versions.putDistTag(tenant.caller(), name, tag, body.version());
    }

    @DELETE
    @Path("/{name}/dist-tags/{tag}")
    @Operation(summary = "Remove a dist-tag")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Void> deleteDistTag(@PathParam("name") String name, @PathParam("tag") String tag) {
        return versions.deleteDistTag(tenant.caller(), name, tag);
    }

    @GET
    @Path("/{name}/resolve")
    @Operation(summary = "Resolve a SemVer range or dist-tag to one version", description = "npm range syntax (^1.2, ~1.2.3, >=1 <2, 1.x, exact) or a dist-tag; the REST twin of gRPC ResolveSdk.")
    public Uni<Views.ResolutionView> resolve(@PathParam("name") String name,
            @Parameter(description = "Range or dist-tag; default latest") @QueryParam("range") String range,
            @Parameter(description = "Let prereleases satisfy the range") @QueryParam("includePrerelease") boolean includePrerelease) {
        return resolver.resolve(tenant.caller().tenant(), name, range, includePrerelease).map(Views.ResolutionView::of);
    }

    @GET
    @Path("/{name}/downloads")
    @Operation(summary = "Downloads per version and UTC day", description = "Default: the last 30 days.")
    public Uni<Views.DownloadsView> downloads(@PathParam("name") String name,
            @Parameter(description = "First day, YYYY-MM-DD") @QueryParam("from") String from,
            @Parameter(description = "Last day, YYYY-MM-DD") @QueryParam("to") String to) {
        LocalDate end = date("to", to, LocalDate.now(ZoneOffset.UTC));
        LocalDate start = date("from", from, end.minusDays(29));
        return sdks.downloads(tenant.caller(), name, start, end).map(days -> new Views.DownloadsView(name, start, end,
                days.stream().mapToLong(d -> d.downloads()).sum(), days));
    }

    @GET
    @Path("/{name}/catalog-info.yaml")
    @Produces("application/yaml")
    @Operation(summary = "The SDK as a Backstage Component entity", description = "Register this URL in Backstage to list the SDK in a software catalog.")
    public Uni<String> catalogInfo(@PathParam("name") String name) {
        return sdks.visible(tenant.caller(), name).map(catalogInfo::yaml);
    }

    private static LocalDate date(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date YYYY-MM-DD");
        }
    }
}
