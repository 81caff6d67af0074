package io.defensebuilders.orbital.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.orbital.service.CcdmService;
import io.defensebuilders.orbital.service.Inputs;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** CCDM assessments of catalog objects. */
@Path("/api/v1/orbital/ccdm")
@Authenticated
@Tag(name = "CCDM")
public class CcdmResource {

    @Schema(description = "What an assessment was made from")
    public record BasisView(@Schema(description = "element sets read (the newest within the lookback)") int elementSets,
            @Schema(description = "maneuvers found in them") int maneuvers,
            @Schema(description = "other objects that came within the proximity distance in the window") int objectsNear) {
    }

    @Schema(description = "A CCDM (camouflage, concealment, deception, maneuvering) assessment of one object")
    public record CcdmView(UUID assessmentId, String objectId, int noradId, String objectName, String objectType,
            @Schema(description = "epoch of the newest element set assessed") Instant epoch, Instant assessedAt,
            @Schema(description = "MANEUVERING, DECEPTION, CONCEALMENT or NONE: the category of the strongest indicator") String ccdmType,
            @Schema(description = "NONE, LOW, MEDIUM, HIGH or CRITICAL") String threatLevel,
            @Schema(description = "combined confidence of the indicators, 1 - prod(1 - c)") double confidence,
            @Schema(description = "type (UNEXPECTED_MANEUVER, PROXIMITY_OPERATION, ORBITAL_PARAMETER_INCONSISTENCY, CUSTODY_GAP, "
                    + "PATTERN_OF_LIFE_VIOLATION), ccdmType, confidence, summary, evidence") List<Map<String, Object>> indicators,
            BasisView basis) {
    }

    private final CcdmService ccdm;
    private final TenantContext tenant;

    public CcdmResource(CcdmService ccdm, TenantContext tenant) {
        this.ccdm = ccdm;
        this.tenant = tenant;
    }

    @GET
    @Path("/{noradId}")
    @Operation(summary = "Assess an object now", description = "Indicators with evidence and confidence, a combined "
            + "confidence and a threat level, from the object's element-set history, its maneuvers and the objects "
            + "near it, in the caller's view (the shared catalog and its own overlay) (see the orbital README). A change of threat level or indicators is announced on orbital.ccdm.v1.")
    public Uni<CcdmView> assess(
            @Parameter(description = "NORAD catalog number, 1 to 339999", schema = @Schema(type = SchemaType.INTEGER)) @PathParam("noradId") String noradText) {
        var caller = tenant.caller();
        return ccdm.assess(caller.tenant(), caller.tenant(), Inputs.noradId("noradId", noradText)).map(r -> {
            var a = r.assessment();
            return new CcdmView(r.id(), Integer.toString(a.noradId()), a.noradId(), a.objectName(),
                    a.objectType() == null ? null : a.objectType().name(), a.epoch(), r.assessedAt(), a.ccdmType(),
                    a.threatLevel().name(), Math.round(a.confidence() * 1000) / 1000.0, CcdmService.indicators(a),
                    new BasisView(a.elementSetsConsidered(), a.maneuversConsidered(), a.objectsNear()));
        });
    }
}
