package io.defensebuilders.orbital.screening;

import java.util.List;

import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;

/**
 * The objects of one screening run, one row per target index: element sets, SGP4 sampling step {@code h} and the
 * Hermite interpolation error bounds it gives (the pads), the skipped flags, and per-thread propagators (SGP4
 * propagators are not thread safe). The step and bounds follow {@link Screener}:
 * {@code |r''''| <= 4 (mu/rp^2)(vp/rp)^2}, position error {@code <= |r''''| h^4/384}, velocity error
 * {@code <= |r''''| h^3/(72 sqrt 3)}.
 */
final class ObjectTable {

    /** Earth's gravitational parameter, km^3/s^2. */
    static final double MU = 398600.4418;
    /** Earth's equatorial radius (WGS-72, SGP4's), km. */
    static final double RE = 6378.135;

    final TLE[] tles;
    final double[] h;
    final double[] epsPos;
    final double[] epsVel;
    final boolean[] skipped;
    /** Rank among the objects sampled on the longest step (their samples are stored time-major), else -1. */
    final int[] regularRank;
    final int regularCount;
    final double regularStep;
    final Frame teme;
    private final ThreadLocal<TLEPropagator[]> propagators;

    ObjectTable(List<Screener.Target> targets, Frame teme, Screener.Options o) {
        int n = targets.size();
        this.teme = teme;
        tles = new TLE[n];
        h = new double[n];
        epsPos = new double[n];
        epsVel = new double[n];
        skipped = new boolean[n];
        propagators = ThreadLocal.withInitial(() -> new TLEPropagator[n]);
        for (int i = 0; i < n; i++) {
            TLE tle = targets.get(i).tle();
            tles[i] = tle;
            double nRad = tle.getMeanMotion();
            double a = Math.cbrt(MU / (nRad * nRad));
            double e = Math.min(0.99, tle.getE());
            double rp = Math.max(RE, a * (1 - e));
            double vp = Math.sqrt(MU * (2 / rp - 1 / a));
            double k4 = 4 * (MU / (rp * rp)) * (vp / rp) * (vp / rp);
            double step = Math.min(o.maxSampleStepS(), Math.pow(384 * o.interpolationKm() / k4, 0.25));
            // a whole number of steps per detection step keeps the grids simple; at least 1 s
            step = Math.max(1.0, step);
            h[i] = step;
            epsPos[i] = k4 * Math.pow(step, 4) / 384;
            epsVel[i] = k4 * Math.pow(step, 3) / (72 * Math.sqrt(3));
        }
        regularStep = o.maxSampleStepS();
        regularRank = new int[n];
        int r = 0;
        for (int i = 0; i < n; i++) {
            regularRank[i] = h[i] == regularStep ? r++ : -1;
        }
        regularCount = r;
    }

    TLEPropagator propagator(int i) {
        TLEPropagator[] mine = propagators.get();
        if (mine[i] == null) {
            mine[i] = TLEPropagator.selectExtrapolator(tles[i], teme);
        }
        return mine[i];
    }
}
