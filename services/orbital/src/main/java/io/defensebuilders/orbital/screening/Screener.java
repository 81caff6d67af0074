package io.defensebuilders.orbital.screening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.errors.OrekitException;
import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

/**
 * Conjunction screening on SGP4: every pair (or every pair with a primary) that comes within a threshold during a
 * window, with its time of closest approach to the millisecond.
 *
 * <ol>
 * <li><b>Ephemeris.</b> Time is cut into chunks (6 h). Per chunk each object is sampled with SGP4 on its own coarse
 * step {@code h} (position and velocity, TEME), at most {@link Options#maxSampleStepS()} and shorter for fast or
 * eccentric orbits so that the cubic Hermite interpolation error stays near {@link Options#interpolationKm()}:
 * {@code |r''''| <= 4 (mu/rp^2)(vp/rp)^2}, position error {@code <= |r''''| h^4/384}, velocity error
 * {@code <= |r''''| h^3/(72 sqrt 3)}. Each object carries its own bounds as pads.</li>
 * <li><b>Apogee/perigee filter.</b> Per chunk each object's radius range from its samples, widened by
 * {@code max|r'| h/2 + max|r''| (h/2)^2 / 2}; a pair whose ranges are further apart than the threshold is never
 * examined.</li>
 * <li><b>Spatial index per step.</b> Every {@link Options#detectionStepS()} seconds (centre of each step) the
 * interpolated states are sorted into cells. The interaction radius {@code R = threshold + pads + vrelmax * step/2}
 * ({@code vrelmax} twice the top speed, bounded by vis-viva at the padded perigee) bounds the separation at the
 * step's centre of any pair that can come within the threshold during the step; cells are at least {@code R} wide,
 * so such a pair is in the same or neighbouring cells, and each pair of neighbouring cells is visited once
 * ({@link Detector}). Each pair found is tested with linear relative
 * motion over the step ({@code min |d + v tau|}, {@code |tau| <= step/2}) against the threshold plus the
 * interpolation pads and the curvature of relative motion (gravity gradient {@code 3 mu / Re^3} times the largest
 * separation, {@code (step/2)^2/2}).</li>
 * <li><b>TCA.</b> Candidate steps of a pair are merged; over each run (widened by a step on both sides) the range
 * rate is sampled on SGP4 every half step (at most 10 s) and each negative-to-positive change is refined with Brent's method
 * ({@link Encounters}); approaches within the threshold are kept.</li>
 * </ol>
 *
 * An object SGP4 cannot propagate over the window (decay, invalid elements) is left out and counted. Not thread
 * safe per call; calls use a fork-join pool of {@link Options#threads()} threads.
 */
public final class Screener {

    /** An object to screen: an id (the NORAD id) and its element set. */
    public record Target(int id, TLE tle) {
    }

    /**
     * @param durationS window length, seconds (the window starts at the {@code start} given to screen)
     * @param thresholdKm miss distance threshold, km
     * @param detectionStepS spatial-index step, seconds
     * @param maxSampleStepS longest SGP4 sampling step, seconds
     * @param interpolationKm target Hermite interpolation error, km (sets shorter steps for fast orbits)
     * @param chunkS ephemeris chunk, seconds (memory: objects x chunk/step x 48 bytes)
     * @param threads worker threads
     */
    public record Options(double durationS, double thresholdKm, double detectionStepS, double maxSampleStepS,
            double interpolationKm, double chunkS, int threads) {

        public static Options of(double durationS, double thresholdKm) {
            return new Options(durationS, thresholdKm, 20, 300, 1.0, 21600,
                    Runtime.getRuntime().availableProcessors());
        }

        public Options withThreads(int n) {
            return new Options(durationS, thresholdKm, detectionStepS, maxSampleStepS, interpolationKm, chunkS, n);
        }

        public Options withDetectionStep(double s) {
            return new Options(durationS, thresholdKm, s, maxSampleStepS, interpolationKm, chunkS, threads);
        }
    }

    /** A conjunction; states in TEME (m, m/s); the primary is the first of the pair in target order. */
    public record Conjunction(int primary, int secondary, AbsoluteDate tca, double missKm, double relativeSpeedKmS,
            double radialKm, double inTrackKm, double crossTrackKm, PVCoordinates primaryState,
            PVCoordinates secondaryState) {
    }

    /** What a run did. */
    public record Stats(int objects, int skipped, long candidateSteps, long refinedRuns, long sgp4Calls, double seconds,
            double sampleSeconds, double detectSeconds, double refineSeconds) {
    }

    public record Result(List<Conjunction> conjunctions, Stats stats, List<Integer> skippedIds) {
    }

    private static final double MU = 398600.4418;
    private static final double RE = 6378.135;
    /** Gravity gradient bound (with J2 margin), 1/s^2. */
    private static final double GRADIENT = 3 * MU / (RE * RE * RE);

    private final Frame teme;

    public Screener(Frame teme) {
        this.teme = teme;
    }

    /**
     * Screens {@code targets} over {@code [start, start + durationS]}: every pair when {@code primaries} is null,
     * otherwise every pair with at least one object whose id is in {@code primaries}.
     */
    public Result screen(List<Target> targets, Set<Integer> primaries, AbsoluteDate start, Options o,
            DoubleConsumer progress) {
        long t0 = System.nanoTime();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, o.threads()));
        try {
            return pool.submit(() -> run(targets, primaries, start, o, progress == null ? p -> {
            } : progress, t0)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("screening interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private Result run(List<Target> targets, Set<Integer> primaries, AbsoluteDate start, Options o,
            DoubleConsumer progress, long t0) {
        int n = targets.size();
        Objects objs = new Objects(targets, teme, o);
        boolean[] isPrimary = new boolean[n];
        boolean all = primaries == null;
        for (int i = 0; i < n; i++) {
            isPrimary[i] = all || primaries.contains(targets.get(i).id());
        }
        LongAdder calls = new LongAdder();
        double hf = o.detectionStepS();
        int totalSteps = (int) Math.ceil(o.durationS() / hf);
        int stepsPerChunk = Math.max(1, (int) Math.floor(o.chunkS() / hf));
        int chunks = (totalSteps + stepsPerChunk - 1) / stepsPerChunk;
        List<long[]> candidates = Collections.synchronizedList(new ArrayList<>());
        long sampleNs = 0;
        long detectNs = 0;
        for (int c = 0; c < chunks; c++) {
            long s0 = System.nanoTime();
            int firstStep = c * stepsPerChunk;
            int lastStep = Math.min(totalSteps, firstStep + stepsPerChunk); // exclusive
            double c0 = firstStep * hf;
            double c1 = Math.min(o.durationS(), lastStep * hf);
            Chunk chunk = new Chunk(objs, start, c0, c1, calls);
            IntStream.range(0, n).parallel().forEach(chunk::sample);
            chunk.finish(isPrimary, all, o.thresholdKm(), hf);
            long s1 = System.nanoTime();
            sampleNs += s1 - s0;
            // each worker takes blocks of consecutive steps: the samples it reads stay in its cache
            int block = 32;
            AtomicInteger cursor = new AtomicInteger(firstStep);
            IntStream.range(0, Math.max(1, Math.min(o.threads(), lastStep - firstStep))).parallel().forEach(w -> {
                Detector d = new Detector(chunk, isPrimary, all, o.thresholdKm(), hf);
                for (int b = cursor.getAndAdd(block); b < lastStep; b = cursor.getAndAdd(block)) {
                    for (int m = b; m < Math.min(lastStep, b + block); m++) {
                        d.step(m);
                    }
                }
                candidates.add(d.candidates());
            });
            detectNs += System.nanoTime() - s1;
            progress.accept(0.8 * (c + 1) / chunks);
        }
        long r0 = System.nanoTime();
        long[] all2 = candidates.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all2);
        // runs of consecutive candidate steps per pair
        List<long[]> runs = new ArrayList<>();
        for (int k = 0; k < all2.length;) {
            long pair = all2[k] >>> 24;
            int first = (int) (all2[k] & 0xFFFFFF);
            int last = first;
            k++;
            while (k < all2.length && all2[k] >>> 24 == pair && (int) (all2[k] & 0xFFFFFF) <= last + 2) {
                last = (int) (all2[k] & 0xFFFFFF);
                k++;
            }
            runs.add(new long[] { pair, first, last });
        }
        AtomicInteger done = new AtomicInteger();
        List<Conjunction> found = Collections.synchronizedList(new ArrayList<>());
        runs.parallelStream().forEach(run -> {
            int i = (int) (run[0] >>> 20);
            int j = (int) (run[0] & 0xFFFFF);
            double from = Math.max(0, run[1] * hf - hf / 2);
            double to = Math.min(o.durationS(), (run[2] + 1) * hf + hf / 2);
            List<Encounters.Approach> approaches = new ArrayList<>(1);
            try {
                Encounters.scan(objs.propagator(i), objs.propagator(j), start, from, to, Math.min(hf / 2, 10), o.thresholdKm(),
                        approaches, calls);
            } catch (OrekitException e) {
                return; // SGP4 failed between samples: nothing to report for this pair
            }
            for (Encounters.Approach a : approaches) {
                found.add(conjunction(targets.get(i).id(), targets.get(j).id(), start.shiftedBy(a.t()), a.missKm(),
                        a.first(), a.second()));
            }
            int d = done.incrementAndGet();
            if (d % 1000 == 0) {
                progress.accept(0.8 + 0.2 * d / runs.size());
            }
        });
        List<Conjunction> out = dedupe(found);
        progress.accept(1.0);
        List<Integer> skipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (objs.skipped[i]) {
                skipped.add(targets.get(i).id());
            }
        }
        long end = System.nanoTime();
        return new Result(out, new Stats(n, skipped.size(), all2.length, runs.size(), calls.sum(), (end - t0) / 1e9,
                sampleNs / 1e9, detectNs / 1e9, (end - r0) / 1e9), skipped);
    }

    /** Approaches of the same pair found by overlapping runs are one. Sorted by TCA. */
    private static List<Conjunction> dedupe(List<Conjunction> found) {
        List<Conjunction> sorted = new ArrayList<>(found);
        sorted.sort((a, b) -> a.primary() != b.primary() ? Integer.compare(a.primary(), b.primary())
                : a.secondary() != b.secondary() ? Integer.compare(a.secondary(), b.secondary())
                        : a.tca().compareTo(b.tca()));
        List<Conjunction> out = new ArrayList<>(sorted.size());
        for (Conjunction c : sorted) {
            Conjunction last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.primary() == c.primary() && last.secondary() == c.secondary()
                    && Math.abs(c.tca().durationFrom(last.tca())) < 1.0) {
                continue;
            }
            out.add(c);
        }
        out.sort((a, b) -> a.tca().compareTo(b.tca()));
        return out;
    }

    /** Derived figures of an approach: miss in the primary's RTN frame, relative speed. */
    public static Conjunction conjunction(int primary, int secondary, AbsoluteDate tca, double missKm,
            PVCoordinates a, PVCoordinates b) {
        Vector3D r = a.getPosition();
        Vector3D v = a.getVelocity();
        Vector3D rHat = r.normalize();
        Vector3D nHat = r.crossProduct(v).normalize();
        Vector3D tHat = nHat.crossProduct(rHat);
        Vector3D d = b.getPosition().subtract(r).scalarMultiply(1e-3);
        double rel = b.getVelocity().subtract(v).getNorm() / 1000.0;
        return new Conjunction(primary, secondary, tca, missKm, rel, d.dotProduct(rHat), d.dotProduct(tHat),
                d.dotProduct(nHat), a, b);
    }

    /** Per-object propagators (one per thread: SGP4 propagators are not thread safe), steps and pads. */
    static final class Objects {
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

        Objects(List<Target> targets, Frame teme, Options o) {
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

    /** The sampled ephemeris of one chunk, and per object radius bounds and top speed. */
    static final class Chunk {
        final Objects objs;
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

        Chunk(Objects objs, AbsoluteDate start, double c0, double c1, LongAdder calls) {
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

    /**
     * The spatial index and pair test of one worker; candidates encoded as (i << 44 | j << 24 | step).
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
    static final class Detector {
        private static final int BITS = 13;
        private static final int BIAS = 1 << (BITS - 1);
        /** Largest cell coordinate magnitude: a neighbour's coordinate stays inside the key's bits. */
        private static final int LIMIT = BIAS - 2;
        private static final long Y = 1L << BITS;
        private static final long X = 1L << (2 * BITS);
        /** Key offsets of the four columns ahead of an object's own: (0,1), (1,-1), (1,0), (1,1). */
        private static final long[] AHEAD = { Y, X - Y, X, X + Y };
        private static final long OBJECT = (1L << 24) - 1;
        private final Chunk ch;
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

        Detector(Chunk ch, boolean[] isPrimary, boolean all, double threshold, double hf) {
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
                keyed[k] = key << 24 | a;
                minSlab = Math.min(minSlab, cx + BIAS);
                maxSlab = Math.max(maxSlab, cx + BIAS);
            }
            if (count == 0) {
                return;
            }
            int[] counts = slabCounts;
            Arrays.fill(counts, minSlab, maxSlab + 2, 0);
            for (int k = 0; k < count; k++) {
                counts[(int) (keyed[k] >>> (24 + 2 * BITS)) + 1]++;
            }
            for (int s = minSlab + 1; s <= maxSlab + 1; s++) {
                counts[s] += counts[s - 1];
            }
            for (int k = 0; k < count; k++) {
                spare[counts[(int) (keyed[k] >>> (24 + 2 * BITS))]++] = keyed[k];
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
                cells[k] = keyed[k] >>> 24;
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
                int a = Math.min(i, j);
                int b = Math.max(i, j);
                if (outCount == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[outCount++] = ((long) a << 44) | ((long) b << 24) | m;
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
}
