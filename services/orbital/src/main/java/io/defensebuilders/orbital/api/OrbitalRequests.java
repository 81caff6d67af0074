package io.defensebuilders.orbital.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.service.PropagationService;

/** Request bodies: the public shape of propagation requests and catalog changes. */
public final class OrbitalRequests {

    private OrbitalRequests() {
    }

    @Schema(name = "TleLines", description = "A two-line element set, 69 characters per line")
    public record TleLines(
            @Schema(example = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753") String line1,
            @Schema(example = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667") String line2) {
    }

    @Schema(name = "PropagationRequest", description = "One element set (exactly one of tle, noradId, elementSetId) "
            + "and the times to propagate it to (exactly one of minutesSinceEpoch, times)")
    public record Propagate(
            @Schema(description = "A TLE given inline") TleLines tle,
            @Schema(description = "Propagate this object's current element set") Integer noradId,
            @Schema(description = "Propagate this element set from the catalog's history") UUID elementSetId,
            @Schema(description = "Minutes from the element set's epoch (negative: before it)") List<Double> minutesSinceEpoch,
            @Schema(description = "UTC instants, ISO-8601 with Z or an offset", example = "[\"2000-06-28T00:50:19.733568Z\"]") List<String> times,
            @Schema(description = "TEME (default), GCRF or ITRF") String frame,
            @Schema(description = "Add WGS-84 geodetic latitude, longitude (degrees) and altitude (km) to each state") Boolean geodetic) {

        PropagationService.Source source() {
            return new PropagationService.Source(tle == null ? null : tle.line1(), tle == null ? null : tle.line2(),
                    tle != null, noradId, elementSetId);
        }

        PropagationService.Request when() {
            return new PropagationService.Request(minutesSinceEpoch, times, frame, geodetic);
        }
    }

    @Schema(name = "BatchObject", description = "One object of a batch: exactly one of tle, noradId, elementSetId")
    public record BatchObject(
            @Schema(description = "Your label for this object, echoed in its result") @Size(max = 200) String id,
            TleLines tle, Integer noradId, UUID elementSetId) {
    }

    @Schema(name = "BatchPropagationRequest", description = "Many objects propagated to the same times")
    public record Batch(
            List<BatchObject> objects,
            @Schema(description = "Minutes from each object's own epoch") List<Double> minutesSinceEpoch,
            @Schema(description = "UTC instants, ISO-8601 with Z or an offset") List<String> times,
            @Schema(description = "TEME (default), GCRF or ITRF") String frame,
            Boolean geodetic) {
    }

    @Schema(name = "CatalogObjectChanges", description = "Absent fields keep their value")
    public record ObjectChanges(@Size(max = 80) String name, ObjectType objectType, @Size(max = 80) String owner) {
    }
}
