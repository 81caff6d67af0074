package io.defensebuilders.orbital.screening;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

/**
 * Time of closest approach on SGP4 itself: the roots of the range rate {@code d·ḋ} (relative position times
 * relative velocity) where it turns from negative to positive, bracketed on a sub-step grid and refined with
 * Brent's method to 0.1 ms. Shared by the screening engine and its brute-force reference so both report the same
 * TCA for the same encounter.
 */
public final class Encounters {

    /** Brent's absolute accuracy on the TCA, seconds (the TCA is reported to the millisecond). */
    public static final double TCA_ACCURACY_S = 1e-4;

    /** A refined closest approach: TCA as seconds from the screening start, TEME states in metres. */
    public record Approach(double t, double missKm, PVCoordinates first, PVCoordinates second) {
    }

    private Encounters() {
    }

    static PVCoordinates pv(TLEPropagator p, AbsoluteDate start, double t, LongAdder calls) {
        if (calls != null) {
            calls.increment();
        }
        return p.getPVCoordinates(start.shiftedBy(t));
    }

    /** The range rate {@code d·ḋ}, km²/s. */
    static double rangeRate(TLEPropagator a, TLEPropagator b, AbsoluteDate start, double t, LongAdder calls) {
        PVCoordinates pa = pv(a, start, t, calls);
        PVCoordinates pb = pv(b, start, t, calls);
        Vector3D d = pb.getPosition().subtract(pa.getPosition());
        Vector3D v = pb.getVelocity().subtract(pa.getVelocity());
        return d.dotProduct(v) * 1e-6;
    }

    /**
     * Refines the root bracketed by {@code [lo, hi]} (range rate negative at {@code lo}, positive at {@code hi}) and
     * adds the approach to {@code out} when its miss distance is at most {@code thresholdKm}.
     */
    static void refine(TLEPropagator a, TLEPropagator b, AbsoluteDate start, double lo, double hi, double thresholdKm,
            List<Approach> out, LongAdder calls) {
        BrentSolver brent = new BrentSolver(TCA_ACCURACY_S);
        double t = brent.solve(100, x -> rangeRate(a, b, start, x, calls), lo, hi);
        PVCoordinates pa = pv(a, start, t, calls);
        PVCoordinates pb = pv(b, start, t, calls);
        double miss = pb.getPosition().subtract(pa.getPosition()).getNorm() / 1000.0;
        if (miss <= thresholdKm) {
            out.add(new Approach(t, miss, pa, pb));
        }
    }

    /**
     * Every closest approach within {@code thresholdKm} in {@code [from, to]} (seconds from {@code start}), the range
     * rate sampled every {@code subStep} seconds. A minimum at an end of the interval is not an approach.
     */
    static void scan(TLEPropagator a, TLEPropagator b, AbsoluteDate start, double from, double to, double subStep,
            double thresholdKm, List<Approach> out, LongAdder calls) {
        int n = Math.max(1, (int) Math.ceil((to - from) / subStep));
        double h = (to - from) / n;
        double prevT = from;
        double prev = rangeRate(a, b, start, from, calls);
        for (int k = 1; k <= n; k++) {
            double t = k == n ? to : from + k * h;
            double g = rangeRate(a, b, start, t, calls);
            if (prev < 0 && g >= 0) {
                refine(a, b, start, prevT, t, thresholdKm, out, calls);
            }
            prev = g;
            prevT = t;
        }
    }
}
