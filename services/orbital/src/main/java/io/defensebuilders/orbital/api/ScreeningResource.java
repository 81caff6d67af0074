package io.defensebuilders.orbital.api;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.orbital.repository.ScreeningRepository.Conjunction;
import io.defensebuilders.orbital.repository.ScreeningRepository.Screening;
import io.defensebuilders.orbital.service.ScreeningService;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.web.Params;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Conjunction screenings: create (async), follow, read the conjunctions found as JSON or SOCRATES-style CSV. */
@Path("/api/v1/orbital/screenings")
@Authenticated
@Tag(name = "Screenings")
public class ScreeningResource {

    public static final String CSV = "text/csv";

    @Schema(name = "ScreeningRequest")
    public record CreateScreening(
            @Schema(description = "NORAD ids screened against the whole catalog; absent: every pair of the catalog") List<Integer> primaries,
            @Schema(description = "Window start (ISO-8601); default now") Instant windowStart,
            @Schema(description = "Window length in days; default 7, at most dbp.orbital.screening.max-window-days (14)") Double windowDays,
            @Schema(description = "Miss distance threshold, km; default 5, at most dbp.orbital.screening.max-threshold-km (50)") Double thresholdKm) {
    }

    @Schema(name = "Screening")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScreeningView(UUID id, String status, int progress, String origin, List<Integer> primaries,
            Instant windowStart, Instant windowEnd, double windowDays, double thresholdKm, Integer objects,
            Integer skipped, Integer conjunctionCount, String error, Instant createdAt, Instant startedAt,
            Instant finishedAt) {
        static ScreeningView of(Screening s) {
            return new ScreeningView(s.id(), s.status(), s.progress(), s.origin(), s.primaries(), s.windowStart(),
                    s.windowStart().plusMillis(Math.round(s.windowDays() * 86_400_000L)), s.windowDays(),
                    s.thresholdKm(), s.objects(), s.skipped(), s.conjunctionCount(), s.error(), s.createdAt(),
                    s.startedAt(), s.finishedAt());
        }
    }

    @Schema(name = "ConjunctionObject")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectView(int noradId, String name, Instant elementSetEpoch, double[] position, double[] velocity) {
    }

    @Schema(name = "Conjunction", description = "km, km/s; miss components in the primary's radial / in-track / "
            + "cross-track frame; states TEME at TCA")
    public record ConjunctionView(UUID id, Instant tca, double missDistanceKm, double relativeSpeedKmS,
            double radialKm, double inTrackKm, double crossTrackKm, double probability, ObjectView primary,
            ObjectView secondary) {
        static ConjunctionView of(Conjunction c) {
            return new ConjunctionView(c.id(), c.tca(), c.missKm(), c.relativeSpeedKmS(), c.radialKm(), c.inTrackKm(),
                    c.crossTrackKm(), c.pc(),
                    new ObjectView(c.primaryNorad(), c.primaryName(), c.primaryEpoch(),
                            java.util.Arrays.copyOfRange(c.primaryState(), 0, 3),
                            java.util.Arrays.copyOfRange(c.primaryState(), 3, 6)),
                    new ObjectView(c.secondaryNorad(), c.secondaryName(), c.secondaryEpoch(),
                            java.util.Arrays.copyOfRange(c.secondaryState(), 0, 3),
                            java.util.Arrays.copyOfRange(c.secondaryState(), 3, 6)));
        }
    }

    @Schema(name = "ConjunctionPage")
    public record ConjunctionPage(List<ConjunctionView> items, String nextCursor) {
    }

    /** The CSV columns, in order (documented in the README). */
    public static final String CSV_HEADER = "NORAD_CAT_ID_1,OBJECT_NAME_1,DSE_1,NORAD_CAT_ID_2,OBJECT_NAME_2,DSE_2,TCA,"
            + "TCA_RANGE,TCA_RELATIVE_SPEED,MAX_PROB,RADIAL,IN_TRACK,CROSS_TRACK,CONJUNCTION_ID";

    private final ScreeningService screenings;
    private final TenantContext tenant;

    public ScreeningResource(ScreeningService screenings, TenantContext tenant) {
        this.screenings = screenings;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a conjunction screening", description = "Needs the builder role. Screens the primaries "
            + "(or the whole catalog) against the catalog's current element sets over [windowStart, windowStart + "
            + "windowDays] for approaches within thresholdKm. Runs asynchronously: 202 with Location; follow "
            + "status and progress there.")
    @APIResponse(responseCode = "202", description = "Queued")
    public Uni<Response> create(CreateScreening body) {
        CreateScreening b = body == null ? new CreateScreening(null, null, null, null) : body;
        return screenings.create(tenant.caller(),
                new ScreeningService.Request(b.primaries(), b.windowStart(), b.windowDays(), b.thresholdKm()), "request")
                .map(s -> Response.accepted(ScreeningView.of(s))
                        .location(URI.create("/api/v1/orbital/screenings/" + s.id())).build());
    }

    @Schema(name = "ScreeningPage")
    public record ScreeningPage(List<ScreeningView> items, String nextCursor) {
    }

    @GET
    @Operation(summary = "This tenant's screenings, newest first", description = "Keyset pagination: pass nextCursor "
            + "back as cursor.")
    public Uni<ScreeningPage> list(
            @Parameter(description = "queued, running, done, failed or cancelled") @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 1000") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return screenings.list(tenant.caller(), status, limit, cursor).map(page -> new ScreeningPage(
                page.items().stream().map(ScreeningView::of).toList(), page.nextCursor()));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a screening", description = "Needs the builder role. A queued screening is cancelled "
            + "at once; a running one stops at its next progress step (within the lease heartbeat, 30 s) and stores "
            + "nothing. 409 when it already finished.")
    @APIResponse(responseCode = "202", description = "Cancelled, or cancel requested")
    public Uni<Response> cancel(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return screenings.cancel(tenant.caller(), Params.uuid("id", id))
                .map(s -> Response.accepted(ScreeningView.of(s)).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A screening: status (queued, running, done, failed, cancelled), progress 0-100, counts, error")
    public Uni<ScreeningView> get(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return screenings.get(tenant.caller(), Params.uuid("id", id)).map(ScreeningView::of);
    }

    @GET
    @Path("/{id}/conjunctions")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The conjunctions a screening found", description = "Keyset pagination: pass nextCursor back "
            + "as cursor with the same sort. Accept: text/csv answers every conjunction as SOCRATES-style CSV.")
    public Uni<ConjunctionPage> conjunctions(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Parameter(description = "pc (highest probability first, default) or miss (smallest miss distance first)") @QueryParam("sort") String sort,
            @Parameter(description = "Page size, 1 to 1000") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return screenings.conjunctions(tenant.caller(), Params.uuid("id", id), sort, limit, cursor)
                .map(p -> new ConjunctionPage(
                        p.items().stream().map(ConjunctionView::of).toList(), p.nextCursor()));
    }

    @GET
    @Path("/{id}/conjunctions")
    @Produces(CSV)
    @Operation(summary = "The conjunctions a screening found, as SOCRATES-style CSV (every row, no pagination)")
    public Uni<Response> csv(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @QueryParam("sort") String sort) {
        return screenings.allConjunctions(tenant.caller(), Params.uuid("id", id), sort).map(list -> {
            StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
            for (Conjunction c : list) {
                out.append(c.primaryNorad()).append(',').append(csvText(c.primaryName())).append(',')
                        .append(dse(c.primaryEpoch(), c.tca())).append(',')
                        .append(c.secondaryNorad()).append(',').append(csvText(c.secondaryName())).append(',')
                        .append(dse(c.secondaryEpoch(), c.tca())).append(',')
                        .append(c.tca().truncatedTo(ChronoUnit.MILLIS)).append(',')
                        .append(fixed(c.missKm(), 3)).append(',').append(fixed(c.relativeSpeedKmS(), 3)).append(',')
                        .append(String.format(Locale.ROOT, "%.6E", c.pc())).append(',')
                        .append(fixed(c.radialKm(), 3)).append(',').append(fixed(c.inTrackKm(), 3)).append(',')
                        .append(fixed(c.crossTrackKm(), 3)).append(',').append(c.id()).append("\r\n");
            }
            return Response.ok(out.toString(), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"screening-" + id + ".csv\"").build();
        });
    }

    @GET
    @Path("/{id}/conjunctions/{conjunctionId}/cdm")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "One conjunction as a CCSDS Conjunction Data Message (CDM 1.0, KVN)", description = "Written "
            + "by Orekit. States: SGP4 at TCA rotated into GCRF. Covariance: the screening's default RTN position "
            + "uncertainty by orbit regime (COVARIANCE_METHOD = DEFAULT), see the README.")
    public Uni<Response> cdm(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("conjunctionId") String conjunctionId) {
        return screenings.cdm(tenant.caller(), Params.uuid("id", id), Params.uuid("conjunctionId", conjunctionId))
                .map(text -> Response.ok(text, "text/plain; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + conjunctionId + ".cdm\"").build());
    }

    private static String dse(Instant epoch, Instant tca) {
        return fixed((tca.toEpochMilli() - epoch.toEpochMilli()) / 86_400_000.0, 3);
    }

    private static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String csvText(String s) {
        if (s == null) {
            return "";
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
