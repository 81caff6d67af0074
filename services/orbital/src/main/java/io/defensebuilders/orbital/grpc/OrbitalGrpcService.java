package io.defensebuilders.orbital.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.orbital.v1.AssessCcdmRequest;
import io.defensebuilders.contracts.orbital.v1.CatalogObject;
import io.defensebuilders.contracts.orbital.v1.CcdmAssessment;
import io.defensebuilders.contracts.orbital.v1.CcdmIndicator;
import io.defensebuilders.contracts.orbital.v1.ElementSet;
import io.defensebuilders.contracts.orbital.v1.GetObjectRequest;
import io.defensebuilders.contracts.orbital.v1.ListManeuversRequest;
import io.defensebuilders.contracts.orbital.v1.ListManeuversResponse;
import io.defensebuilders.contracts.orbital.v1.Maneuver;
import io.defensebuilders.contracts.orbital.v1.Orbital;
import io.defensebuilders.contracts.orbital.v1.PropagateRequest;
import io.defensebuilders.contracts.orbital.v1.PropagateResponse;
import io.defensebuilders.contracts.orbital.v1.State;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.propagation.Sgp4;
import io.defensebuilders.orbital.service.CatalogService;
import io.defensebuilders.orbital.service.CcdmService;
import io.defensebuilders.orbital.service.ManeuverService;
import io.defensebuilders.orbital.service.PropagationService;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.grpc.GrpcProblems;
import io.defensebuilders.platform.problem.ProblemException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC {@code defensebuilders.orbital.v1.Orbital}: the catalog, propagation, maneuvers and CCDM for other services
 * (ai-tools answers assistants with them). Same services and rules as REST, in the caller's view of the catalog (the
 * shared catalog and its tenant's overlay); the caller comes from the internal JWT.
 */
@GrpcService
public class OrbitalGrpcService implements Orbital {

    private final CatalogService catalog;
    private final PropagationService propagation;
    private final ManeuverService maneuvers;
    private final CcdmService ccdm;
    private final TenantContext tenant;
    private final ObjectMapper json;

    public OrbitalGrpcService(CatalogService catalog, PropagationService propagation, ManeuverService maneuvers,
            CcdmService ccdm, TenantContext tenant, ObjectMapper json) {
        this.catalog = catalog;
        this.propagation = propagation;
        this.maneuvers = maneuvers;
        this.ccdm = ccdm;
        this.tenant = tenant;
        this.json = json;
    }

    @Override
    public Uni<CatalogObject> getObject(GetObjectRequest request) {
        return tenant.deferredCaller().chain(caller -> catalog.get(caller.tenant(), request.getNoradId())).map(o -> {
            CatalogObject.Builder b = CatalogObject.newBuilder().setNoradId(o.noradId())
                    .setObjectType(o.objectType() == null ? "UNKNOWN" : o.objectType().name())
                    .setElementSetCount(o.elementSetCount());
            if (o.name() != null) {
                b.setName(o.name());
            }
            if (o.intlDesignator() != null) {
                b.setIntlDesignator(o.intlDesignator());
            }
            if (o.owner() != null) {
                b.setOwner(o.owner());
            }
            if (o.current() != null) {
                b.setCurrent(elementSet(o.current()));
            }
            return b.build();
        }).plug(GrpcProblems::answer);
    }

    @Override
    public Uni<PropagateResponse> propagate(PropagateRequest r) {
        return tenant.deferredCaller().chain(caller -> {
            boolean tle = !r.getLine1().isEmpty() || !r.getLine2().isEmpty();
            PropagationService.Source source = new PropagationService.Source(r.getLine1(), r.getLine2(), tle,
                    r.getNoradId() == 0 ? null : r.getNoradId(), null);
            PropagationService.Request when = new PropagationService.Request(
                    r.getMinutesSinceEpochCount() == 0 ? null : r.getMinutesSinceEpochList(),
                    r.getTimesCount() == 0 ? null : r.getTimesList(), r.getFrame().isEmpty() ? null : r.getFrame(),
                    r.getGeodetic());
            return propagation.propagate(caller, source, when);
        }).map(result -> {
            PropagateResponse.Builder b = PropagateResponse.newBuilder().setNoradId(result.elements().noradId())
                    .setEpoch(result.elements().epoch().toString()).setFrame(result.frame().name());
            for (Sgp4.State s : result.states()) {
                State.Builder st = State.newBuilder().setTime(s.time().toString())
                        .setMinutesSinceEpoch(s.minutesSinceEpoch());
                for (double v : s.position()) {
                    st.addPosition(v);
                }
                for (double v : s.velocity()) {
                    st.addVelocity(v);
                }
                if (s.geodetic() != null) {
                    st.addLatitudeLongitudeAltitude(s.geodetic().latitude())
                            .addLatitudeLongitudeAltitude(s.geodetic().longitude())
                            .addLatitudeLongitudeAltitude(s.geodetic().altitude());
                }
                b.addStates(st);
            }
            return b.build();
        }).plug(GrpcProblems::answer);
    }

    @Override
    public Uni<ListManeuversResponse> listManeuvers(ListManeuversRequest r) {
        return tenant.deferredCaller()
                .chain(caller -> catalog.get(caller.tenant(), r.getNoradId())
                        .chain(o -> maneuvers.list(caller.tenant(), r.getNoradId(),
                                r.getSince().isEmpty() ? null : r.getSince(),
                                r.getLimit() == 0 ? null : Integer.toString(r.getLimit()), null)))
                .map(page -> {
                    ListManeuversResponse.Builder b = ListManeuversResponse.newBuilder();
                    page.items().forEach(s -> {
                        Maneuver.Builder m = Maneuver.newBuilder().setId(s.id().toString())
                                .setNoradId(s.noradId()).setManeuverType(s.maneuver().classification().name())
                                .setRegime(s.maneuver().regime().name()).setWindowStart(s.windowStart().toString())
                                .setEpoch(s.epoch().toString()).setDeltaV(s.maneuver().deltaVMs())
                                .setDeltaVRadial(s.maneuver().radialMs()).setDeltaVInTrack(s.maneuver().inTrackMs())
                                .setDeltaVCrossTrack(s.maneuver().crossTrackMs())
                                .setDeltaSemiMajorAxisKm(s.maneuver().deltaSemiMajorAxisKm())
                                .setConfidence(s.maneuver().confidence());
                        if (s.burnTime() != null) {
                            m.setBurnTime(s.burnTime().toString())
                                    .setBurnTimeUncertaintyS(s.maneuver().burnUncertaintyS());
                        }
                        b.addManeuvers(m);
                    });
                    return b.build();
                }).plug(GrpcProblems::answer);
    }

    @Override
    public Uni<CcdmAssessment> assessCcdm(AssessCcdmRequest r) {
        return tenant.deferredCaller().chain(caller -> ccdm.assess(caller.tenant(), caller.tenant(), r.getNoradId()))
                .map(result -> {
                    var a = result.assessment();
                    CcdmAssessment.Builder b = CcdmAssessment.newBuilder().setAssessmentId(result.id().toString())
                            .setNoradId(a.noradId()).setCcdmType(a.ccdmType()).setThreatLevel(a.threatLevel().name())
                            .setConfidence(a.confidence());
                    if (a.objectName() != null) {
                        b.setObjectName(a.objectName());
                    }
                    if (a.epoch() != null) {
                        b.setEpoch(a.epoch().toString());
                    }
                    for (var i : a.indicators()) {
                        b.addIndicators(CcdmIndicator.newBuilder().setType(i.type().name()).setCcdmType(i.type().ccdmType)
                                .setConfidence(i.confidence()).setSummary(i.summary()).setEvidenceJson(evidence(i.evidence())));
                    }
                    return b.build();
                }).plug(GrpcProblems::answer);
    }

    private String evidence(Object evidence) {
        try {
            return json.writeValueAsString(evidence);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("evidence", "cannot be written as JSON");
        }
    }

    private static ElementSet elementSet(ElementSetRecord r) {
        return ElementSet.newBuilder().setId(r.id().toString()).setEpoch(r.elements().epoch().toString())
                .setLine1(r.elements().line1()).setLine2(r.elements().line2()).build();
    }
}
