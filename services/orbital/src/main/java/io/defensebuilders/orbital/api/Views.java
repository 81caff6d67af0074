package io.defensebuilders.orbital.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.propagation.Sgp4;
import io.defensebuilders.orbital.service.CatalogService;
import io.defensebuilders.orbital.service.PropagationService;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.Problem;

/** Response bodies: the public shape of catalog objects, element sets and states. */
public final class Views {

    private Views() {
    }

    @Schema(name = "Tle")
    public record TleView(String line1, String line2) {
    }

    @Schema(name = "IngestedBy", description = "Shown to the ingesting tenant and to platform admins only")
    public record IngestedByView(String tenant, String subject) {
    }

    /** The scope of an element set as the API names it. */
    static String scope(boolean shared) {
        return shared ? "shared" : "tenant";
    }

    @Schema(name = "Withdrawal", description = "Why and when an element set was withdrawn (kept for audit, never current)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WithdrawalView(Instant at, String reason,
            @Schema(description = "Who withdrew it; shown to the owning tenant and to platform admins only") IngestedByView by) {
    }

    @Schema(name = "ElementSet", description = "An SGP4 element set (TLE units: degrees, revolutions per day)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ElementSetView(UUID id,
            @Schema(description = "shared: the shared catalog every tenant sees; tenant: this tenant's private overlay") String scope,
            int noradId, String name, String intlDesignator, String classification,
            Instant epoch, double meanMotion, double eccentricity, double inclination, double raOfAscNode,
            double argOfPericenter, double meanAnomaly, double bstar,
            @Schema(description = "First derivative of mean motion / 2, rev/day²") double meanMotionDot,
            @Schema(description = "Second derivative of mean motion / 6, rev/day³") double meanMotionDdot,
            int ephemerisType, int elementSetNo, int revAtEpoch, TleView tle,
            @Schema(description = "Format it was ingested in: tle, omm-kvn, omm-xml, omm-json") String format,
            Instant ingestedAt, IngestedByView ingestedBy,
            @Schema(description = "Present when the element set was withdrawn") WithdrawalView withdrawn,
            @Schema(description = "For a shared copy a platform admin promoted from a tenant's overlay: the original "
                    + "(shown to platform admins only)") UUID publishedFrom) {

        static ElementSetView of(ElementSetRecord r, Caller caller) {
            ElementSet e = r.elements();
            boolean admin = caller.has(Role.PLATFORM_ADMIN);
            boolean mine = caller.tenant().equals(r.tenant()) || admin;
            var w = r.withdrawal();
            boolean owner = admin || caller.tenant().equals(r.shared() ? r.tenant() : r.overlayTenant());
            WithdrawalView withdrawn = w == null ? null
                    : new WithdrawalView(w.at(), w.reason(),
                            owner ? new IngestedByView(w.tenant(), w.subject()) : null);
            return new ElementSetView(r.id(), Views.scope(r.shared()), e.noradId(), e.name(), e.intlDesignator(),
                    e.classification(), e.epoch(),
                    e.meanMotion(), e.eccentricity(), e.inclination(), e.raOfAscNode(), e.argOfPericenter(),
                    e.meanAnomaly(), e.bstar(), e.meanMotionDot(), e.meanMotionDdot(), e.ephemerisType(),
                    e.elementSetNo(), e.revAtEpoch(), new TleView(e.line1(), e.line2()), e.format().wire(),
                    r.ingestedAt(), mine ? new IngestedByView(r.tenant(), r.ingestedBy()) : null, withdrawn,
                    admin ? r.publishedFrom() : null);
        }
    }

    @Schema(name = "CatalogObject")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectView(int noradId,
            @Schema(description = "shared: in the shared catalog; tenant: only in this tenant's private overlay") String scope,
            String name, String intlDesignator, ObjectType objectType, String owner,
            @Schema(description = "The element set with the newest epoch") ElementSetView currentElementSet,
            @Schema(description = "Element sets in the history; only on single-object reads") Long elementSetCount,
            Instant createdAt, Instant updatedAt) {

        static ObjectView of(CatalogObject o, Caller caller) {
            return new ObjectView(o.noradId(), Views.scope(o.shared()), o.name(), o.intlDesignator(), o.objectType(), o.owner(),
                    o.current() == null ? null : ElementSetView.of(o.current(), caller),
                    o.elementSetCount() < 0 ? null : o.elementSetCount(), o.createdAt(), o.updatedAt());
        }
    }

    @Schema(name = "CatalogObjectPage")
    public record ObjectPage(List<ObjectView> items,
            @Schema(description = "Pass as 'cursor' for the next page; absent on the last page") String nextCursor) {
    }

    @Schema(name = "ElementSetPage")
    public record ElementSetPage(List<ElementSetView> items,
            @Schema(description = "Pass as 'cursor' for the next page; absent on the last page") String nextCursor) {
    }

    @Schema(name = "IngestedElementSet")
    public record IngestedView(UUID id, int noradId, Instant epoch,
            @Schema(description = "false when the catalog already held an element set of this object at this epoch") boolean stored,
            @Schema(description = "whether it is the object's current (newest-epoch) element set in the caller's view") boolean current,
            @Schema(description = "shared (the shared catalog: platform admins, the orbital.elements.v1 topic) or tenant "
                    + "(the caller's private overlay)") String scope) {
        static IngestedView of(CatalogService.Ingested i) {
            return new IngestedView(i.id(), i.noradId(), i.epoch(), i.stored(), i.current(), Views.scope(i.shared()));
        }
    }

    @Schema(name = "IngestResult")
    public record IngestView(int received, int stored, int duplicates,
            @Schema(description = "where the upload went: shared or tenant") String scope, List<IngestedView> elementSets) {
        static IngestView of(List<CatalogService.Ingested> items, boolean shared) {
            int stored = (int) items.stream().filter(CatalogService.Ingested::stored).count();
            return new IngestView(items.size(), stored, items.size() - stored, Views.scope(shared),
                    items.stream().map(IngestedView::of).toList());
        }
    }

    @Schema(name = "Geodetic", description = "WGS-84 geodetic coordinates")
    public record GeodeticView(@Schema(description = "degrees") double latitude,
            @Schema(description = "degrees, east positive, in [-180, 180]") double longitude,
            @Schema(description = "km above the ellipsoid") double altitude) {
    }

    @Schema(name = "State")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StateView(Instant time, double minutesSinceEpoch,
            @Schema(description = "x, y, z in km") double[] position,
            @Schema(description = "vx, vy, vz in km/s") double[] velocity, GeodeticView geodetic) {
        static StateView of(Sgp4.State s) {
            return new StateView(s.time(), s.minutesSinceEpoch(), s.position(), s.velocity(),
                    s.geodetic() == null ? null
                            : new GeodeticView(s.geodetic().latitude(), s.geodetic().longitude(),
                                    s.geodetic().altitude()));
        }
    }

    @Schema(name = "Propagation")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PropagationView(int noradId,
            @Schema(description = "The catalog element set used; absent for an inline TLE") UUID elementSetId,
            Instant epoch, String frame, List<StateView> states) {
        static PropagationView of(PropagationService.Result r) {
            return new PropagationView(r.elements().noradId(), r.elementSet() == null ? null : r.elementSet().id(),
                    r.elements().epoch(), r.frame().name(), r.states().stream().map(StateView::of).toList());
        }
    }

    @Schema(name = "BatchPropagationResult", description = "states, or the problem that kept this object from having them")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchItemView(String id, Integer noradId, UUID elementSetId, Instant epoch, List<StateView> states,
            Problem problem) {
        static BatchItemView of(PropagationService.BatchItem item) {
            PropagationService.Result r = item.result();
            if (r == null) {
                return new BatchItemView(item.id(), item.noradId(), null, null, null, item.problem());
            }
            return new BatchItemView(item.id(), r.elements().noradId(),
                    r.elementSet() == null ? null : r.elementSet().id(), r.elements().epoch(),
                    r.states().stream().map(StateView::of).toList(), null);
        }
    }

    @Schema(name = "BatchPropagation")
    public record BatchView(String frame, List<BatchItemView> results) {
    }

    @Schema(description = "Δv estimate of a maneuver, m/s")
    public record DeltaVView(@Schema(description = "total") double total,
            @Schema(description = "radial, unsigned (a mean-element comparison does not give its sign)") double radial,
            @Schema(description = "in-track, + raises the orbit") double inTrack,
            @Schema(description = "cross-track, + when the inclination grows") double crossTrack) {
    }

    @Schema(description = "A maneuver between two consecutive element sets of an object")
    public record ManeuverView(UUID id,
            @Schema(description = "shared: from the shared catalog, everyone sees it; tenant: from pairs with this "
                    + "tenant's own element sets, only it sees it") String scope,
            int noradId, String objectName,
            @Schema(description = "ALTITUDE_RAISE, ALTITUDE_LOWER, PLANE_CHANGE, PHASING or STATION_KEEPING") String maneuverType,
            @Schema(description = "LEO, MEO, GEO or HEO") String regime,
            @Schema(description = "epoch of the earlier element set: the maneuver happened in [windowStart, epoch]") Instant windowStart,
            @Schema(description = "epoch of the later element set") Instant epoch,
            DeltaVView deltaV,
            @Schema(description = "mean semi-major axis change, km") double deltaSemiMajorAxisKm,
            @Schema(description = "inclination change, degrees") double deltaInclinationDeg,
            @Schema(description = "angle between the orbit planes, degrees") double planeChangeDeg,
            @Schema(description = "change of the mean eccentricity vector") double deltaEccentricity,
            @Schema(description = "distance between the earlier element set's prediction and the later one at its epoch, km") double positionDifferenceKm,
            @Schema(description = "in (0, 0.99]: 1 - 1/significance") double confidence,
            @Schema(description = "largest ratio of a statistic to its noise threshold") double significance,
            @Schema(description = "estimated time of the burn, where the two element sets' trajectories meet; absent "
                    + "when it could not be estimated") Instant burnTime,
            @Schema(description = "± seconds around burnTime; about a revolution or more when the trajectories meet "
                    + "on several revolutions (a pure plane change)") Double burnTimeUncertaintyS,
            UUID beforeElementSetId, UUID afterElementSetId, Instant detectedAt,
            @Schema(description = "what the platform's maneuver classifier (a model the inference service serves) "
                    + "takes it for, beside maneuverType (the detector's rule); null when no model was asked or it "
                    + "did not answer") ModelOpinionView model) {
        public static ManeuverView of(io.defensebuilders.orbital.repository.ManeuverRepository.Stored s) {
            var m = s.maneuver();
            return new ManeuverView(s.id(), Views.scope(s.overlayTenant() == null), s.noradId(), s.objectName(),
                    m.classification().name(), m.regime().name(),
                    s.windowStart(), s.epoch(), new DeltaVView(m.deltaVMs(), m.radialMs(), m.inTrackMs(),
                            m.crossTrackMs()),
                    m.deltaSemiMajorAxisKm(), m.deltaInclinationDeg(), m.planeChangeDeg(), m.deltaEccentricity(),
                    m.positionDifferenceKm(), m.confidence(), m.significance(), s.burnTime(),
                    Double.isFinite(m.burnUncertaintyS()) ? m.burnUncertaintyS() : null, s.beforeId(), s.afterId(),
                    s.detectedAt(), s.model() == null ? null
                            : new ModelOpinionView(s.model().model(), s.model().version(), s.model().classification(),
                                    s.model().confidence()));
        }
    }

    public record ModelOpinionView(@Schema(description = "the model's name in the inference service") String name,
            @Schema(description = "the version that answered") String version,
            @Schema(description = "ALTITUDE_RAISE, ALTITUDE_LOWER, PLANE_CHANGE, PHASING or STATION_KEEPING") String maneuverType,
            @Schema(description = "the model's probability for maneuverType") double confidence) {
    }

    public record ManeuverPage(List<ManeuverView> items,
            @Schema(description = "cursor of the next page; absent on the last") String nextCursor) {
    }
}
