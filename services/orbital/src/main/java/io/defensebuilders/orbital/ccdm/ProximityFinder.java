package io.defensebuilders.orbital.ccdm;

import java.util.List;
import java.util.Objects;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.errors.OrekitException;
import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.TimeScale;
import org.orekit.utils.PVCoordinates;

/**
 * Objects that stay near one object over a window: the sustained close approach of a proximity operation, as opposed
 * to the brief pass of a conjunction.
 * <p>
 * Staying within d of an object for a share f of the time needs nearly the same orbit plane: out of plane, two
 * orbits at angle θ are a·sinθ·|sin u| apart, within d for a share (2/π)·asin(d / (a sinθ)) of the orbit, so
 * sinθ ≤ d / (a sin(πf/2)). Candidates (the caller prunes by perigee/apogee) are pruned by that plane bound first,
 * then sampled every {@value #COARSE_S} s (an object never within d at a sample is dropped: a sustained stretch is
 * longer than the step), then every {@value #FINE_S} s over the window to measure the share, closest and mean distance.
 */
public final class ProximityFinder {

    /** A catalog object to check. */
    public record Candidate(int noradId, String name, TLE tle) {
    }

    static final double COARSE_S = 600;
    static final double FINE_S = 60;

    private final Frame teme;
    private final TimeScale utc;

    public ProximityFinder(Frame teme, TimeScale utc) {
        this.teme = teme;
        this.utc = utc;
    }

    /**
     * The candidates within {@code distanceKm} of the primary for at least one fine sample in
     * [{@code start}, {@code start + durationS}], with the share of samples within.
     */
    public List<CcdmAssessor.Proximity> near(TLE primary, List<Candidate> candidates, AbsoluteDate start,
            double durationS, double distanceKm, double minFraction) {
        TLEPropagator p = TLEPropagator.selectExtrapolator(primary, teme);
        int fine = (int) Math.floor(durationS / FINE_S) + 1;
        Vector3D[] at = new Vector3D[fine];
        for (int i = 0; i < fine; i++) {
            at[i] = position(p, start.shiftedBy(i * FINE_S));
            if (at[i] == null) {
                return List.of(); // the primary has no state in the window: nothing to measure against
            }
        }
        int stride = (int) Math.round(COARSE_S / FINE_S);
        AbsoluteDate mid = start.shiftedBy(durationS / 2);
        PVCoordinates pm = p.getPVCoordinates(mid);
        Vector3D normal = pm.getMomentum().normalize();
        double a = pm.getPosition().getNorm() / 1000.0;
        double sinMax = Math.min(1, distanceKm / (a * Math.sin(Math.PI * Math.max(minFraction, 1e-3) / 2)));
        double maxPlane = Math.asin(sinMax);
        double d = distanceKm * 1000.0;
        return candidates.parallelStream().map(c -> {
            try {
                TLEPropagator s = TLEPropagator.selectExtrapolator(c.tle(), teme);
                PVCoordinates sm = s.getPVCoordinates(mid);
                if (!Double.isFinite(sm.getPosition().getNorm())
                        || Vector3D.angle(normal, sm.getMomentum().normalize()) > maxPlane) {
                    return null;
                }
                boolean close = false;
                for (int i = 0; i < fine && !close; i += stride) {
                    Vector3D q = position(s, start.shiftedBy(i * FINE_S));
                    close = q != null && q.distance(at[i]) <= d;
                }
                if (!close) {
                    return null;
                }
                int within = 0;
                int counted = 0;
                double min = Double.POSITIVE_INFINITY;
                double sum = 0;
                int closest = 0;
                for (int i = 0; i < fine; i++) {
                    Vector3D q = position(s, start.shiftedBy(i * FINE_S));
                    if (q == null) {
                        continue;
                    }
                    double dist = q.distance(at[i]);
                    counted++;
                    sum += dist;
                    if (dist <= d) {
                        within++;
                    }
                    if (dist < min) {
                        min = dist;
                        closest = i;
                    }
                }
                if (within == 0) {
                    return null;
                }
                return new CcdmAssessor.Proximity(c.noradId(), c.name(), min / 1000.0, sum / counted / 1000.0,
                        within / (double) fine, start.shiftedBy(closest * FINE_S).toDate(utc).toInstant());
            } catch (OrekitException e) {
                return null;
            }
        }).filter(Objects::nonNull).toList();
    }

    private static Vector3D position(TLEPropagator sgp4, AbsoluteDate date) {
        try {
            Vector3D r = sgp4.getPVCoordinates(date).getPosition();
            return Double.isFinite(r.getNorm()) ? r : null;
        } catch (OrekitException e) {
            return null;
        }
    }
}
