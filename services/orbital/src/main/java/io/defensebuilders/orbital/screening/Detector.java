package io.defensebuilders.orbital.screening;

import static io.defensebuilders.orbital.screening.ObjectTable.MU;
import static io.defensebuilders.orbital.screening.ObjectTable.RE;

import java.util.Arrays;

/**
 * The spatial index and pair test of one worker over the steps of one {@link EphemerisChunk}; its candidates are
 * {@link PairKeys#candidate} keys (pair and step).
 *
 * <p>
 * Each step the objects are sorted by their cell (side at least the interaction radius, key x-major), so a
 * cell is a run of the sorted arrays and a column of cells (fixed x and y) is a run too. Each object then visits
 * its half of the 26 neighbours: the rest of its own cell and the cell above it in z, and the three-cell runs of
 * the four columns ahead of its own; every pair that can be within the radius is met exactly once, reading memory
 * in order. The runs are found with one pointer per column offset that only moves forward, since the column
 * ahead of an object's key grows with the key. The sort is cheap because objects move less than a cell per step:
 * a stable counting sort by x cell from the previous step's order, then an insertion sort that only has to mend
 * each x slab. With primaries, only the primaries look up their 27 cells (binary search per column).
 */
final class Detector {

    /** Gravity gradient bound (with J2 margin), 1/s^2. */
    private static final double GRADIENT = 3 * MU / (RE * RE * RE);
    /** Bits per cell coordinate in a cell key (x-major: x, then y, then z). */
    private static final int BITS = 13;
    private static final int BIAS = 1 << (BITS - 1);
    /** Largest cell coordinate magnitude: a neighbour's coordinate stays inside the key's bits. */
    private static final int LIMIT = BIAS - 2;
    private static final long Y = 1L << BITS;
    private static final long X = 1L << (2 * BITS);
    /** Key offsets of the four columns ahead of an object's own: (0,1), (1,-1), (1,0), (1,1). */
    private static final long[] AHEAD = { Y, X - Y, X, X + Y };
    /** Sort keys hold the cell key (3 x {@link #BITS}) above the object index, in this many bits. */
    private static final int OBJECT_BITS = 24;
    private static final long OBJECT = (1L << OBJECT_BITS) - 1;
    private final EphemerisChunk ch;
    private final boolean[] isPrimary;
    private final boolean all;
    private final double threshold;
    private final double hf;
    private final double radius;
    private final double padMax;
    private final double cell;
    private final int count;
    // interpolated states by object index
    private final double[] x;
    private final double[] y;
    private final double[] z;
    private final double[] vx;
    private final double[] vy;
    private final double[] vz;
    // the same in cell order
    private long[] keyed;
    private long[] spare;
    private final int[] slabCounts = new int[2 * BIAS + 1];
    private final long[] cells;
    private final int[] ids;
    private final double[] sx;
    private final double[] sy;
    private final double[] sz;
    private final double[] svx;
    private final double[] svy;
    private final double[] svz;
    private final int[] ahead = new int[AHEAD.length];
    private long[] out = new long[1024];
    private int outCount;

    Detector(EphemerisChunk ch, boolean[] isPrimary, boolean all, double threshold, double hf) {
        this.ch = ch;
        this.isPrimary = isPrimary;
        this.all = all;
        this.threshold = threshold;
        this.hf = hf;
        int n = ch.samples.length;
        double vrel = 2 * ch.vmaxAll;
        double reach = vrel * hf / 2;
        double curv = 0.5 * GRADIENT * (threshold + 2 * ch.epsMax + 2 * reach) * (hf / 2) * (hf / 2);
        this.radius = threshold + 2 * ch.epsMax + ch.epsVelMax * hf + curv + reach;
        // the pad of test() with every term at its largest (the span is at most radius + vrel * step/2)
        this.padMax = threshold + 2 * ch.epsMax + ch.epsVelMax * hf
                + 0.5 * GRADIENT * (radius + reach) * (hf / 2) * (hf / 2);
        double extent = 0;
        for (int a : ch.active) {
            extent = Math.max(extent, ch.rMax[a]);
        }
        // cells no smaller than the radius, and few enough per axis for the key
        this.cell = Math.max(radius, (extent + radius) / (LIMIT - 1));
        x = new double[n];
        y = new double[n];
        z = new double[n];
        vx = new double[n];
        vy = new double[n];
        vz = new double[n];
        count = ch.active.length;
        keyed = new long[count];
        for (int k = 0; k < count; k++) {
            keyed[k] = ch.active[k];
        }
        spare = new long[count];
        cells = new long[count];
        ids = new int[count];
        sx = new double[count];
        sy = new double[count];
        sz = new double[count];
        svx = new double[count];
        svy = new double[count];
        svz = new double[count];
    }

    long[] candidates() {
        return Arrays.copyOf(out, outCount);
    }

    void step(int m) {
        double tc = (m + 0.5) * hf;
        // interpolate in object order (samples are read sequentially), then sort into cell order
        for (int a : ch.active) {
            interpolate(a, tc);
        }
        sortByCell();
        for (int k = 0; k < count; k++) {
            int a = ids[k];
            sx[k] = x[a];
            sy[k] = y[a];
            sz[k] = z[a];
            svx[k] = vx[a];
            svy[k] = vy[a];
            svz[k] = vz[a];
        }
        if (all) {
            sweep(m);
        } else {
            queryPrimaries(m);
        }
    }

    /** Every pair in neighbouring cells once: own cell onwards and the cell above, then the columns ahead. */
    private void sweep(int m) {
        Arrays.fill(ahead, 0);
        for (int k = 0; k < count; k++) {
            long c = cells[k];
            for (int q = k + 1; q < count && cells[q] <= c + 1; q++) {
                test(k, q, m);
            }
            for (int o = 0; o < AHEAD.length; o++) {
                long lo = c + AHEAD[o] - 1;
                int q = ahead[o];
                while (q < count && cells[q] < lo) {
                    q++;
                }
                ahead[o] = q;
                for (; q < count && cells[q] <= lo + 2; q++) {
                    test(k, q, m);
                }
            }
        }
    }

    /** Each primary against its 27 cells; a pair of primaries is tested from the lower id only. */
    private void queryPrimaries(int m) {
        for (int k = 0; k < count; k++) {
            int i = ids[k];
            if (!isPrimary[i]) {
                continue;
            }
            long c = cells[k];
            for (long dx = -X; dx <= X; dx += X) {
                for (long dy = -Y; dy <= Y; dy += Y) {
                    long lo = c + dx + dy - 1;
                    for (int q = firstAtLeast(lo); q < count && cells[q] <= lo + 2; q++) {
                        int j = ids[q];
                        if (q != k && (!isPrimary[j] || j > i)) {
                            test(k, q, m);
                        }
                    }
                }
            }
        }
    }

    private int firstAtLeast(long key) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cells[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Sorts the objects by cell key, starting from the previous step's order: a stable counting sort by the x cell,
     * then an insertion sort, which only moves objects that changed y or z cell within their x slab.
     */
    private void sortByCell() {
        int minSlab = Integer.MAX_VALUE;
        int maxSlab = Integer.MIN_VALUE;
        for (int k = 0; k < count; k++) {
            int a = (int) (keyed[k] & OBJECT);
            int cx = coordinate(x[a]);
            long key = ((long) (cx + BIAS) << (2 * BITS)) | ((long) (coordinate(y[a]) + BIAS) << BITS)
                    | (coordinate(z[a]) + BIAS);
            keyed[k] = key << OBJECT_BITS | a;
            minSlab = Math.min(minSlab, cx + BIAS);
            maxSlab = Math.max(maxSlab, cx + BIAS);
        }
        if (count == 0) {
            return;
        }
        int[] counts = slabCounts;
        Arrays.fill(counts, minSlab, maxSlab + 2, 0);
        for (int k = 0; k < count; k++) {
            counts[(int) (keyed[k] >>> (OBJECT_BITS + 2 * BITS)) + 1]++;
        }
        for (int s = minSlab + 1; s <= maxSlab + 1; s++) {
            counts[s] += counts[s - 1];
        }
        for (int k = 0; k < count; k++) {
            spare[counts[(int) (keyed[k] >>> (OBJECT_BITS + 2 * BITS))]++] = keyed[k];
        }
        long[] t = keyed;
        keyed = spare;
        spare = t;
        for (int k = 1; k < count; k++) {
            long e = keyed[k];
            int q = k - 1;
            while (q >= 0 && keyed[q] > e) {
                keyed[q + 1] = keyed[q];
                q--;
            }
            keyed[q + 1] = e;
        }
        for (int k = 0; k < count; k++) {
            cells[k] = keyed[k] >>> OBJECT_BITS;
            ids[k] = (int) (keyed[k] & OBJECT);
        }
    }

    private int coordinate(double v) {
        return Math.max(-LIMIT, Math.min(LIMIT, (int) Math.floor(v / cell)));
    }

    /** Sorted positions {@code p} and {@code q}: a candidate step when the pair can come within the threshold. */
    private void test(int p, int q, int m) {
        double dx = sx[q] - sx[p];
        double dy = sy[q] - sy[p];
        double dz = sz[q] - sz[p];
        double d2 = dx * dx + dy * dy + dz * dz;
        if (d2 > radius * radius) {
            return;
        }
        double ux = svx[q] - svx[p];
        double uy = svy[q] - svy[p];
        double uz = svz[q] - svz[p];
        double uu = ux * ux + uy * uy + uz * uz;
        double half = hf / 2;
        double tau = uu == 0 ? 0 : -(dx * ux + dy * uy + dz * uz) / uu;
        tau = Math.max(-half, Math.min(half, tau));
        double mx = dx + ux * tau;
        double my = dy + uy * tau;
        double mz = dz + uz * tau;
        double dmin2 = mx * mx + my * my + mz * mz;
        // most pairs within the radius miss even the largest pad any pair can have: no square roots for them
        if (dmin2 > padMax * padMax) {
            return;
        }
        int i = ids[p];
        int j = ids[q];
        if (ch.rMin[i] - threshold > ch.rMax[j] || ch.rMin[j] - threshold > ch.rMax[i]) {
            return; // apogee/perigee filter
        }
        double span = Math.sqrt(d2) + Math.sqrt(uu) * half;
        double pad = threshold + ch.objs.epsPos[i] + ch.objs.epsPos[j]
                + (ch.objs.epsVel[i] + ch.objs.epsVel[j]) * half + 0.5 * GRADIENT * span * half * half;
        if (dmin2 <= pad * pad) {
            if (outCount == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[outCount++] = PairKeys.candidate(i, j, m);
        }
    }

    private void interpolate(int i, double t) {
        double h = ch.objs.h[i];
        double[] s = ch.samples[i];
        int k = (int) Math.floor((t - ch.c0) / h);
        int b;
        int c;
        int rank = ch.objs.regularRank[i];
        if (rank >= 0) {
            int stride = ch.objs.regularCount * 6;
            k = Math.max(0, Math.min(k, ch.regular.length / stride - 2));
            s = ch.regular;
            b = k * stride + rank * 6;
            c = b + stride;
        } else {
            k = Math.max(0, Math.min(k, s.length / 6 - 2));
            b = 6 * k;
            c = b + 6;
        }
        double tau = (t - ch.c0 - k * h) / h;
        double t2 = tau * tau;
        double t3 = t2 * tau;
        double h00 = 2 * t3 - 3 * t2 + 1;
        double h10 = t3 - 2 * t2 + tau;
        double h01 = -2 * t3 + 3 * t2;
        double h11 = t3 - t2;
        double d00 = (6 * t2 - 6 * tau) / h;
        double d10 = 3 * t2 - 4 * tau + 1;
        double d01 = (-6 * t2 + 6 * tau) / h;
        double d11 = 3 * t2 - 2 * tau;
        x[i] = h00 * s[b] + h10 * h * s[b + 3] + h01 * s[c] + h11 * h * s[c + 3];
        y[i] = h00 * s[b + 1] + h10 * h * s[b + 4] + h01 * s[c + 1] + h11 * h * s[c + 4];
        z[i] = h00 * s[b + 2] + h10 * h * s[b + 5] + h01 * s[c + 2] + h11 * h * s[c + 5];
        vx[i] = d00 * s[b] + d10 * s[b + 3] + d01 * s[c] + d11 * s[c + 3];
        vy[i] = d00 * s[b + 1] + d10 * s[b + 4] + d01 * s[c + 1] + d11 * s[c + 4];
        vz[i] = d00 * s[b + 2] + d10 * s[b + 5] + d01 * s[c + 2] + d11 * s[c + 5];
    }
}
