package io.defensebuilders.aitools.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.service.PlatformApi;
import io.defensebuilders.aitools.service.PlatformApi.Call;
import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.Tool.Annotations;
import io.quarkiverse.mcp.server.Tool.OutputSchema;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;

/**
 * Space-domain work as tools: propagate an orbit, ingest element sets, screen for conjunctions (a long tool: progress
 * notifications, and a cancelled call cancels the screening), a CCDM assessment, detected maneuvers.
 */
@ToolCall
public class OrbitalTools {

    private static final Logger LOG = Logger.getLogger(OrbitalTools.class);
    private static final String ORBITAL = "orbital";
    private static final int CONJUNCTIONS_SHOWN = 20;

    private final ToolContext context;
    private final AiToolsConfig config;

    public OrbitalTools(ToolContext context, AiToolsConfig config) {
        this.context = context;
        this.config = config;
    }

    @Tool(name = "propagate_orbit", title = "Propagate an orbit", description = "Position and velocity of an object "
            + "at given times with SGP4/SDP4: a catalogued object by NORAD id (its current element set) or an inline "
            + "TLE. Times as minutes from the element set's epoch or as UTC instants.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Propagation.class))
    public Views.Propagation propagateOrbit(
            @ToolArg(description = "NORAD catalog id of a catalogued object", required = false) Integer noradId,
            @ToolArg(description = "TLE line 1, with tleLine2 instead of a NORAD id", required = false) String tleLine1,
            @ToolArg(description = "TLE line 2", required = false) String tleLine2,
            @ToolArg(description = "Minutes from the element set's epoch (negative: before it)", required = false) List<Double> minutesSinceEpoch,
            @ToolArg(description = "UTC instants, ISO-8601, e.g. 2026-12-07T00:00:00Z", required = false) List<String> times,
            @ToolArg(description = "TEME (default), GCRF or ITRF", required = false) String frame,
            @ToolArg(description = "Add WGS-84 latitude, longitude and altitude", required = false) Boolean geodetic) {
        Object tle = tleLine1 == null && tleLine2 == null ? null
                : Map.of("line1", String.valueOf(tleLine1), "line2", String.valueOf(tleLine2));
        Map<String, Object> body = PlatformApi.body("noradId", noradId, "tle", tle, "minutesSinceEpoch",
                minutesSinceEpoch, "times", times, "frame", frame, "geodetic", geodetic);
        return context.send(Call.post(ORBITAL, "/api/v1/orbital/propagate", body), Views.Propagation.class);
    }

    @Tool(name = "ingest_element_sets", title = "Ingest element sets", description = "Adds element sets (TLE text, "
            + "or CCSDS OMM as KVN, XML or JSON) to the caller's tenant's view of the catalog; platform admins add "
            + "to the shared catalog. Duplicates are counted, not stored twice.", annotations = @Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Ingest.class))
    public Views.Ingest ingestElementSets(
            @ToolArg(description = "The element sets: TLEs (two or three lines each) or OMM documents") String text,
            @ToolArg(description = "tle (default), omm-kvn, omm-xml or omm-json", required = false) String format) {
        String type = switch (format == null ? "tle" : format) {
            case "omm-xml" -> "application/xml";
            case "omm-json" -> "application/json";
            default -> "text/plain";
        };
        return context.send(Call.post(ORBITAL, "/api/v1/orbital/element-sets", null)
                .query("format", format == null ? "tle" : format).raw(text, type), Views.Ingest.class);
    }

    @Tool(name = "screen_conjunctions", title = "Screen for conjunctions", description = "Screens primaries (or the "
            + "whole catalog) for close approaches over a time window and follows the screening to its end, sending "
            + "progress notifications; cancelling the call cancels the screening. Answers with the closest "
            + "conjunctions; all of them are the resource dbp://orbital/screenings/{id}/conjunctions.csv.", annotations = @Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = false, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.ScreeningResult.class))
    public Views.ScreeningResult screenConjunctions(
            @ToolArg(description = "NORAD ids to screen against the catalog; absent: every pair", required = false) List<Integer> primaries,
            @ToolArg(description = "Window length in days (default 7, at most 14)", required = false) Double windowDays,
            @ToolArg(description = "Miss distance threshold in km (default 5, at most 50)", required = false) Double thresholdKm,
            Progress progress, Cancellation cancellation) {
        Map<String, Object> body = PlatformApi.body("primaries", primaries, "windowDays", windowDays, "thresholdKm",
                thresholdKm);
        Views.Screening screening = context.send(Call.post(ORBITAL, "/api/v1/orbital/screenings", body),
                Views.Screening.class);
        String path = "/api/v1/orbital/screenings/" + screening.id();
        long deadline = System.nanoTime() + config.mcp().followAtMost().toNanos();
        int reported = -1;
        while (!finished(screening) && System.nanoTime() < deadline) {
            if (cancellation.check().isRequested()) {
                context.send(Call.post(ORBITAL, path + "/cancel", null));
                LOG.infof("screening %s cancelled: the client cancelled the call", screening.id());
                throw new Cancellation.OperationCancellationException();
            }
            if (progress.token().isPresent() && screening.progress() != null && screening.progress() != reported) {
                reported = screening.progress();
                progress.notificationBuilder().setProgress(reported).setTotal(100)
                        .setMessage("screening " + screening.status()).build().sendAndForget();
            }
            sleep();
            screening = context.send(Call.get(ORBITAL, path), Views.Screening.class);
        }
        List<Views.Conjunction> conjunctions = List.of();
        if ("done".equals(screening.status())) {
            JsonNode page = context.send(Call.get(ORBITAL, path + "/conjunctions").query("sort", "miss")
                    .query("limit", CONJUNCTIONS_SHOWN));
            conjunctions = Arrays.asList(context.as(page.path("items"), Views.Conjunction[].class));
        } else if ("failed".equals(screening.status())) {
            throw new ToolCallException("screening " + screening.id() + " failed: " + screening.error());
        }
        return new Views.ScreeningResult(screening, conjunctions, finished(screening) ? null : true);
    }

    @Tool(name = "get_screening", title = "Inspect a screening", description = "A conjunction screening's status, "
            + "progress and counts.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Screening.class))
    public Views.Screening getScreening(@ToolArg(description = "Screening id (UUID)") String id) {
        return context.send(Call.get(ORBITAL, "/api/v1/orbital/screenings/" + uuid(id)), Views.Screening.class);
    }

    @Tool(name = "assess_ccdm", title = "CCDM assessment of an object", description = "Camouflage, concealment, "
            + "deception and maneuvering indicators of a space object from its element-set history: threat level, "
            + "confidence and the evidence behind each indicator.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Ccdm.class))
    public Views.Ccdm assessCcdm(@ToolArg(description = "NORAD catalog id") int noradId) {
        return context.send(Call.get(ORBITAL, "/api/v1/orbital/ccdm/" + noradId), Views.Ccdm.class);
    }

    @Tool(name = "list_maneuvers", title = "List detected maneuvers", description = "Maneuvers detected from "
            + "element-set histories, newest first: of one object, or of every object. Pages: pass nextCursor as "
            + "cursor.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.ManeuverPage.class))
    public Views.ManeuverPage listManeuvers(
            @ToolArg(description = "NORAD id of one object", required = false) Integer noradId,
            @ToolArg(description = "Earliest epoch, inclusive (ISO-8601)", required = false) String since,
            @ToolArg(description = "Page size, 1 to 1000 (default 50)", required = false) Integer limit,
            @ToolArg(description = "nextCursor of the previous page", required = false) String cursor) {
        String path = noradId == null ? "/api/v1/orbital/maneuvers"
                : "/api/v1/orbital/objects/" + noradId
                        + "/maneuvers";
        return context.send(Call.get(ORBITAL, path).query("since", since).query("limit", limit == null ? 50 : limit)
                .query("cursor", cursor), Views.ManeuverPage.class);
    }

    private static boolean finished(Views.Screening s) {
        return List.of("done", "failed", "cancelled").contains(s.status());
    }

    /** A screening id, checked before it goes into a path. */
    static String uuid(String id) {
        try {
            return java.util.UUID.fromString(id == null ? "" : id.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new ToolCallException("id: not a UUID: " + id);
        }
    }

    private void sleep() {
        try {
            Thread.sleep(config.mcp().pollEvery().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolCallException("interrupted");
        }
    }
}
