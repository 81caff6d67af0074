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
 * {@code <= |r''''| h^3/(72 sqrt 3)}. Each object carries its own bounds as pads ({@link ObjectTable}; the samples
 * of a chunk: {@link EphemerisChunk}).</li>
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
 * <li><b>TCA.</b> Candidate steps of a pair ({@link PairKeys}) are merged; over each run (widened by half a step on
 * both sides) the range rate is sampled on SGP4 every half step (at most 10 s) and each negative-to-positive change
 * is refined with Brent's method ({@link Encounters}); approaches within the threshold are kept.</li>
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
        double hf = o.detectionStepS();
        int totalSteps = (int) Math.ceil(o.durationS() / hf);
        if (n > PairKeys.MAX_INDEX + 1 || totalSteps > PairKeys.MAX_STEP + 1) {
            throw new IllegalArgumentException("screening is limited to " + (PairKeys.MAX_INDEX + 1) + " objects and "
                    + (PairKeys.MAX_STEP + 1) + " detection steps; got " + n + " objects and " + totalSteps + " steps");
        }
        ObjectTable objs = new ObjectTable(targets, teme, o);
        boolean[] isPrimary = new boolean[n];
        boolean all = primaries == null;
        for (int i = 0; i < n; i++) {
            isPrimary[i] = all || primaries.contains(targets.get(i).id());
        }
        LongAdder calls = new LongAdder();
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
            EphemerisChunk chunk = new EphemerisChunk(objs, start, c0, c1, calls);
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
        long[] candidateKeys = candidates.stream().flatMapToLong(Arrays::stream).toArray();
        List<long[]> runs = runs(candidateKeys);
        AtomicInteger done = new AtomicInteger();
        List<Conjunction> found = Collections.synchronizedList(new ArrayList<>());
        runs.parallelStream().forEach(run -> {
            int i = PairKeys.first(run[0]);
            int j = PairKeys.second(run[0]);
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
        return new Result(out, new Stats(n, skipped.size(), candidateKeys.length, runs.size(), calls.sum(),
                (end - t0) / 1e9, sampleNs / 1e9, detectNs / 1e9, (end - r0) / 1e9), skipped);
    }

    /**
     * Sorts the {@link PairKeys#candidate candidate keys} and merges each pair's candidate steps into runs (steps at
     * most 2 apart): {@code {pair key, first step, last step}}.
     */
    private static List<long[]> runs(long[] candidates) {
        Arrays.sort(candidates);
        List<long[]> runs = new ArrayList<>();
        for (int k = 0; k < candidates.length;) {
            long pair = PairKeys.pair(candidates[k]);
            int first = PairKeys.step(candidates[k]);
            int last = first;
            k++;
            while (k < candidates.length && PairKeys.pair(candidates[k]) == pair
                    && PairKeys.step(candidates[k]) <= last + 2) {
                last = PairKeys.step(candidates[k]);
                k++;
            }
            runs.add(new long[] { pair, first, last });
        }
        return runs;
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
}
