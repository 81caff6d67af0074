package io.defensebuilders.orbital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.orekit.propagation.analytical.tle.TLE;

import io.defensebuilders.contracts.orbital.v1.AssessCcdmRequest;
import io.defensebuilders.contracts.orbital.v1.CatalogObject;
import io.defensebuilders.contracts.orbital.v1.CcdmAssessment;
import io.defensebuilders.contracts.orbital.v1.GetObjectRequest;
import io.defensebuilders.contracts.orbital.v1.ListManeuversRequest;
import io.defensebuilders.contracts.orbital.v1.OrbitalGrpc;
import io.defensebuilders.contracts.orbital.v1.PropagateRequest;
import io.defensebuilders.contracts.orbital.v1.PropagateResponse;
import io.defensebuilders.orbital.maneuvers.Burns;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.testing.grpc.GrpcTestChannel;
import io.defensebuilders.testing.quarkus.TestClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/** The Orbital gRPC service: the same answers as REST, gRPC status codes for problems. */
@QuarkusTest
class OrbitalGrpcTest {

    static Burns burns;
    @RegisterExtension
    final GrpcTestChannel grpc = new GrpcTestChannel();
    private final Api alice = Api.publisher(TestClient.newTenant());

    @BeforeAll
    static void orekit() {
        burns = new Burns(OrekitData.bundled());
    }

    private OrbitalGrpc.OrbitalBlockingStub stub(Api caller) {
        return grpc.as(caller, OrbitalGrpc::newBlockingStub, Duration.ofSeconds(20));
    }

    @Test
    void objectsStatesManeuversAndCcdmOverGrpc() {
        int norad = Api.newNorad();
        String sat = String.format("%05d", norad);
        TLE before = burns.tle("1 " + sat + "U 26001A   26305.00000000  .00000000  00000-0  00000-0 0  9990",
                "2 " + sat + "  97.4000 222.0000 0010000  90.0000 270.0000 15.20000000    12");
        TLE after = burns.afterBurn(before, 86400, 0, 0, 30, 43200);
        alice.upload("text/plain", "GRPC SAT\n" + before.getLine1() + "\n" + before.getLine2() + "\nGRPC SAT\n"
                + after.getLine1() + "\n" + after.getLine2() + "\n").then().statusCode(200);
        // alice's upload is her tenant's overlay: another tenant does not see it, a viewer of hers does
        var stranger = stub(Api.viewer(TestClient.newTenant()));
        assertCode(Status.Code.NOT_FOUND, () -> stranger.getObject(GetObjectRequest.newBuilder().setNoradId(norad)
                .build()));
        assertCode(Status.Code.NOT_FOUND, () -> stranger.propagate(PropagateRequest.newBuilder().setNoradId(norad)
                .addMinutesSinceEpoch(0).build()));
        assertCode(Status.Code.NOT_FOUND, () -> stranger.listManeuvers(ListManeuversRequest.newBuilder()
                .setNoradId(norad).build()));
        assertCode(Status.Code.NOT_FOUND, () -> stranger.assessCcdm(AssessCcdmRequest.newBuilder().setNoradId(norad)
                .build()));
        var viewer = stub(Api.viewer(alice.tenant()));

        CatalogObject o = viewer.getObject(GetObjectRequest.newBuilder().setNoradId(norad).build());
        assertEquals("GRPC SAT", o.getName());
        assertEquals(2, o.getElementSetCount());
        assertEquals(after.getLine1(), o.getCurrent().getLine1());

        PropagateResponse states = viewer.propagate(PropagateRequest.newBuilder().setNoradId(norad)
                .addMinutesSinceEpoch(0).addMinutesSinceEpoch(90).setFrame("ITRF").setGeodetic(true).build());
        assertEquals(2, states.getStatesCount());
        assertEquals("ITRF", states.getFrame());
        double r = Math.sqrt(states.getStates(0).getPositionList().stream().mapToDouble(x -> x * x).sum());
        assertTrue(r > 6800 && r < 6950, "a 500 km orbit: " + r);
        assertEquals(3, states.getStates(1).getLatitudeLongitudeAltitudeCount());

        var maneuvers = viewer.listManeuvers(ListManeuversRequest.newBuilder().setNoradId(norad).build());
        assertEquals(1, maneuvers.getManeuversCount());
        assertEquals("PLANE_CHANGE", maneuvers.getManeuvers(0).getManeuverType());
        assertEquals(30, Math.abs(maneuvers.getManeuvers(0).getDeltaVCrossTrack()), 3);
        assertFalse(maneuvers.getManeuvers(0).getBurnTime().isEmpty(), "a burn time estimate");
        assertTrue(maneuvers.getManeuvers(0).getBurnTimeUncertaintyS() > 0);

        CcdmAssessment a = viewer.assessCcdm(AssessCcdmRequest.newBuilder().setNoradId(norad).build());
        assertEquals(norad, a.getNoradId());
        assertTrue(a.getIndicatorsList().stream().anyMatch(i -> i.getType().equals("UNEXPECTED_MANEUVER")
                && i.getEvidenceJson().contains("PLANE_CHANGE")), a.toString());
        assertTrue(List.of("LOW", "MEDIUM", "HIGH", "CRITICAL").contains(a.getThreatLevel()));
    }

    @Test
    void problemsAreStatusCodes() {
        var viewer = stub(Api.viewer(TestClient.newTenant()));
        assertCode(Status.Code.NOT_FOUND, () -> viewer.getObject(GetObjectRequest.newBuilder().setNoradId(339002).build()));
        assertCode(Status.Code.NOT_FOUND, () -> viewer.listManeuvers(ListManeuversRequest.newBuilder()
                .setNoradId(339002).build()));
        assertCode(Status.Code.NOT_FOUND, () -> viewer.assessCcdm(AssessCcdmRequest.newBuilder().setNoradId(339002)
                .build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> viewer.propagate(PropagateRequest.newBuilder()
                .setLine1("1 00005U nonsense").setLine2("2 00005").addMinutesSinceEpoch(0).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> viewer.propagate(PropagateRequest.newBuilder().setNoradId(5)
                .setFrame("MARS").addMinutesSinceEpoch(0).build()));
        assertCode(Status.Code.UNAUTHENTICATED, () -> OrbitalGrpc.newBlockingStub(grpc.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS).getObject(GetObjectRequest.newBuilder().setNoradId(5).build()));
    }

    private static void assertCode(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
    }
}
