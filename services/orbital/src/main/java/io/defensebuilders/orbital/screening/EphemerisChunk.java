package io.defensebuilders.orbital.screening;

import static io.defensebuilders.orbital.screening.ObjectTable.MU;
import static io.defensebuilders.orbital.screening.ObjectTable.RE;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.errors.OrekitException;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

/**
 * The sampled ephemeris of one chunk of the window, and per object radius bounds (the apogee/perigee filter) and top
 * speed. {@link #sample} runs per object in parallel, then {@link #finish} once.
 */
final class EphemerisChunk {

    final ObjectTable objs;
    final AbsoluteDate start;
    final double c0;
    final double c1;
    /** Per object x y z vx vy vz (km, km/s) per sample; {@link #REGULAR} for objects stored in {@link #regular}. */
    final double[][] samples;
    /** Samples of the objects on the longest step, time-major: sample k of rank r at {@code (k * count + r) * 6}. */
    final double[] regular;
    static final double[] REGULAR = new double[0];
    final double[] rMin;
    final double[] rMax;
    final double[] vMax;
    final LongAdder calls;
    int[] active;
    double vmaxAll;
    double epsMax;
    double epsVelMax;

    EphemerisChunk(ObjectTable objs, AbsoluteDate start, double c0, double c1, LongAdder calls) {
        this.objs = objs;
        this.start = start;
        this.c0 = c0;
        this.c1 = c1;
        int n = objs.tles.length;
        samples = new double[n][];
        int regularSamples = (int) Math.ceil((c1 - c0) / objs.regularStep) + 1;
        regular = new double[regularSamples * objs.regularCount * 6];
        rMin = new double[n];
        rMax = new double[n];
        vMax = new double[n];
        this.calls = calls;
    }

    void sample(int i) {
        if (objs.skipped[i]) {
            return;
        }
        double h = objs.h[i];
        int count = (int) Math.ceil((c1 - c0) / h) + 1;
        double[] s = new double[count * 6];
        double rmin = Double.MAX_VALUE;
        double rmax = 0;
        double vmax = 0;
        double rdotMax = 0;
        double curvMax = 0;
        try {
            TLEPropagator p = objs.propagator(i);
            for (int k = 0; k < count; k++) {
                PVCoordinates pv = Encounters.pv(p, start, c0 + k * h, calls);
                Vector3D r = pv.getPosition();
                Vector3D v = pv.getVelocity();
                int b = 6 * k;
                s[b] = r.getX() * 1e-3;
                s[b + 1] = r.getY() * 1e-3;
                s[b + 2] = r.getZ() * 1e-3;
                s[b + 3] = v.getX() * 1e-3;
                s[b + 4] = v.getY() * 1e-3;
                s[b + 5] = v.getZ() * 1e-3;
                double rn = r.getNorm() * 1e-3;
                double vn = v.getNorm() * 1e-3;
                if (!Double.isFinite(rn) || !Double.isFinite(vn) || rn < RE) {
                    throw new IllegalStateException("decayed");
                }
                rmin = Math.min(rmin, rn);
                rmax = Math.max(rmax, rn);
                vmax = Math.max(vmax, vn);
                rdotMax = Math.max(rdotMax, Math.abs(r.dotProduct(v)) * 1e-6 / rn);
                curvMax = Math.max(curvMax, Math.max(vn * vn / rn, MU / (rn * rn)));
            }
        } catch (OrekitException | IllegalStateException e) {
            objs.skipped[i] = true;
            return;
        }
        double half = h / 2;
        double pad = rdotMax * half + 0.5 * curvMax * half * half + objs.epsPos[i];
        int rank = objs.regularRank[i];
        if (rank >= 0) {
            int stride = objs.regularCount * 6;
            for (int k = 0; k < count; k++) {
                System.arraycopy(s, 6 * k, regular, k * stride + rank * 6, 6);
            }
            samples[i] = REGULAR;
        } else {
            samples[i] = s;
        }
        rMin[i] = rmin - pad;
        rMax[i] = rmax + pad;
        // the speed between samples: by energy conservation (vis-viva) the fastest point is the lowest, so the top
        // speed is bounded by each sample's speed carried down to the padded minimum radius (2% margin for SGP4's
        // perturbations)
        double vBound = vmax;
        for (int k = 0; k < count; k++) {
            int b = 6 * k;
            double rn = Math.sqrt(s[b] * s[b] + s[b + 1] * s[b + 1] + s[b + 2] * s[b + 2]);
            double v2 = s[b + 3] * s[b + 3] + s[b + 4] * s[b + 4] + s[b + 5] * s[b + 5];
            vBound = Math.max(vBound, Math.sqrt(v2 + 2 * MU * Math.max(0, 1 / Math.max(RE, rmin - pad) - 1 / rn)));
        }
        vMax[i] = vBound * 1.02 + objs.epsVel[i];
    }

    void finish(boolean[] isPrimary, boolean all, double threshold, double hf) {
        int n = samples.length;
        double pMin = Double.MAX_VALUE;
        double pMax = 0;
        if (!all) {
            for (int i = 0; i < n; i++) {
                if (isPrimary[i] && samples[i] != null) {
                    pMin = Math.min(pMin, rMin[i]);
                    pMax = Math.max(pMax, rMax[i]);
                }
            }
        }
        int[] act = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (samples[i] == null) {
                continue;
            }
            // with primaries, an object that cannot reach any primary's radius band is not indexed at all
            if (!all && !isPrimary[i] && (rMin[i] > pMax + threshold || rMax[i] < pMin - threshold)) {
                continue;
            }
            act[count++] = i;
            vmaxAll = Math.max(vmaxAll, vMax[i]);
            epsMax = Math.max(epsMax, objs.epsPos[i]);
            epsVelMax = Math.max(epsVelMax, objs.epsVel[i]);
        }
        active = Arrays.copyOf(act, count);
    }
}
