package io.defensebuilders.orbital.maneuvers;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.orbits.CartesianOrbit;
import org.orekit.propagation.SpacecraftState;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.propagation.analytical.tle.generation.FixedPointTleGenerationAlgorithm;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

import io.defensebuilders.orbital.propagation.OrekitData;

/**
 * Element sets with a known impulsive burn between them: the earlier element set is propagated (SGP4) to the burn,
 * the burn added in the radial/in-track/cross-track frame, and the later element set fitted to the result by Orekit's
 * TLE generation some time after the burn, as a tracking network would publish it.
 */
public final class Burns {

    private final OrekitData orekit;

    public Burns(OrekitData orekit) {
        this.orekit = orekit;
    }

    public TLE tle(String line1, String line2) {
        return new TLE(checksum(line1), checksum(line2), orekit.utc());
    }

    /** The line with its checksum recomputed. */
    public static String checksum(String line) {
        String body = line.substring(0, 68);
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum += Character.isDigit(c) ? c - '0' : c == '-' ? 1 : 0;
        }
        return body + (sum % 10);
    }

    /**
     * The element set published {@code afterBurnS} seconds after a burn of (radial, in-track, cross-track) m/s made
     * {@code burnAfterS} seconds after {@code before}'s epoch. A zero burn gives the same orbit re-fitted later.
     */
    public TLE afterBurn(TLE before, double burnAfterS, double radial, double inTrack, double crossTrack,
            double afterBurnS) {
        TLEPropagator sgp4 = TLEPropagator.selectExtrapolator(before, orekit.teme());
        AbsoluteDate burn = before.getDate().shiftedBy(burnAfterS);
        PVCoordinates pv = sgp4.getPVCoordinates(burn);
        Vector3D r = pv.getPosition().normalize();
        Vector3D c = pv.getPosition().crossProduct(pv.getVelocity()).normalize();
        Vector3D i = c.crossProduct(r);
        Vector3D dv = new Vector3D(radial, r, inTrack, i, crossTrack, c);
        PVCoordinates burnt = new PVCoordinates(pv.getPosition(), pv.getVelocity().add(dv));
        TLE atBurn = fit(new CartesianOrbit(burnt, orekit.teme(), burn, TLEPropagator.getMU()), before);
        if (afterBurnS == 0) {
            return atBurn;
        }
        AbsoluteDate published = burn.shiftedBy(afterBurnS);
        PVCoordinates later = TLEPropagator.selectExtrapolator(atBurn, orekit.teme()).getPVCoordinates(published);
        return fit(new CartesianOrbit(later, orekit.teme(), published, TLEPropagator.getMU()), atBurn);
    }

    private TLE fit(CartesianOrbit orbit, TLE template) {
        return TLE.stateToTLE(new SpacecraftState(orbit), template,
                new FixedPointTleGenerationAlgorithm(FixedPointTleGenerationAlgorithm.EPSILON_DEFAULT, 200,
                        FixedPointTleGenerationAlgorithm.SCALE_DEFAULT, orekit.utc(), orekit.teme()));
    }

    /** A 500 km, 97.4° orbit under this catalog number, at 2026-11-01T00:00Z. */
    public TLE leo(int norad) {
        String sat = String.format("%05d", norad);
        return tle("1 " + sat + "U 26001A   26305.00000000  .00000500  00000-0  25000-4 0  9990",
                "2 " + sat + "  97.4000 120.0000 0010000  90.0000 270.0000 15.20000000    12");
    }

    /** Element sets as an upload's text: three-line TLEs under {@code name}. */
    public static String text(String name, TLE... tles) {
        StringBuilder b = new StringBuilder();
        for (TLE t : tles) {
            b.append(name).append('\n').append(t.getLine1()).append('\n').append(t.getLine2()).append('\n');
        }
        return b.toString();
    }
}
