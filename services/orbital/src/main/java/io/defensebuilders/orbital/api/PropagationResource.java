package io.defensebuilders.orbital.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.orbital.propagation.OutputFrame;
import io.defensebuilders.orbital.service.PropagationService;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** SGP4/SDP4 propagation of inline TLEs or catalog element sets. */
@Path("/api/v1/orbital/propagate")
@Authenticated
@Tag(name = "Propagation")
public class PropagationResource {

    private final PropagationService propagation;
    private final TenantContext tenant;

    public PropagationResource(PropagationService propagation, TenantContext tenant) {
        this.propagation = propagation;
        this.tenant = tenant;
    }

    @POST
    @Operation(summary = "Propagate one element set with SGP4/SDP4", description = "States in km and km/s, in TEME "
            + "(SGP4's frame, the default), GCRF or ITRF, optionally with WGS-84 geodetic coordinates. At most "
            + "dbp.orbital.propagation.max-states (10,000) times, each within max-span-days (366) of the epoch. "
            + "TEME states match the SGP4 reference implementation (Vallado et al. 2006) to well under 1 m.")
    @APIResponse(responseCode = "200", description = "The states, in request order")
    @APIResponse(responseCode = "404", description = "noradId or elementSetId not in the catalog")
    @APIResponse(responseCode = "422", description = "The orbit has decayed or SGP4 has no solution at a requested time "
            + "(type orbit-decayed or invalid-orbit; minutesSinceEpoch names the first such time)")
    public Uni<Views.PropagationView> propagate(@Valid @NotNull OrbitalRequests.Propagate body) {
        return propagation.propagate(tenant.caller(), body.source(), body.when()).map(Views.PropagationView::of);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Propagate many objects to the same times", description = "Each object is an inline TLE, a "
            + "NORAD id (its current element set) or an element set id. Malformed input fails the whole request "
            + "(400); an object the catalog lacks (404) or SGP4 cannot answer for (422) gets a problem in its own "
            + "result. At most 1,000 objects and 10,000 states (objects × times) per request.")
    @APIResponse(responseCode = "200", description = "One result per object, in request order")
    public Uni<Views.BatchView> batch(@Valid @NotNull OrbitalRequests.Batch body) {
        var caller = tenant.caller();
        List<OrbitalRequests.BatchObject> objects = body.objects();
        List<String> ids = objects == null ? List.of() : objects.stream().map(o -> o == null ? null : o.id()).toList();
        List<PropagationService.Source> sources = objects == null ? null
                : objects.stream()
                        .map(o -> o == null ? null
                                : new PropagationService.Source(o.tle() == null ? null : o.tle().line1(),
                                        o.tle() == null ? null : o.tle().line2(), o.tle() != null, o.noradId(),
                                        o.elementSetId()))
                        .toList();
        PropagationService.Request when = new PropagationService.Request(body.minutesSinceEpoch(), body.times(),
                body.frame(), body.geodetic());
        String frame = OutputFrame.parse(body.frame()).map(Enum::name).orElse(null);
        return propagation.batch(caller, ids, sources, when)
                .map(items -> new Views.BatchView(frame, items.stream().map(Views.BatchItemView::of).toList()));
    }
}
