package io.defensebuilders.orbital.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;

import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.orbital.screening.BruteForceScreener;
import io.defensebuilders.orbital.screening.CollisionProbability;
import io.defensebuilders.orbital.screening.Screener;
import io.defensebuilders.orbital.screening.SyntheticCatalog;

/**
 * The orbital benchmark (run by bench/orbital.sh, not by the tests): SGP4 propagations per second per core with
 * Orekit, conjunction screening of a synthetic catalog (default 10,000 objects x 7 days at 5 km) and its recall
 * against the brute-force reference on a subset. Arguments: key=value (objects, days, km, seed, recallObjects,
 * recallDays, out, tleOut, threads).
 */
public final class ScreeningBench {

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new TreeMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int objects = Integer.parseInt(a.getOrDefault("objects", "10000"));
        double days = Double.parseDouble(a.getOrDefault("days", "7"));
        double km = Double.parseDouble(a.getOrDefault("km", "5"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        int recallObjects = Integer.parseInt(a.getOrDefault("recallObjects", "1000"));
        double recallDays = Double.parseDouble(a.getOrDefault("recallDays", "1"));
        int threads = Integer.parseInt(a.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        double step = Double.parseDouble(a.getOrDefault("step", "20"));
        String mode = a.getOrDefault("mode", "all");

        OrekitData orekit = OrekitData.bundled();
        AbsoluteDate start = new AbsoluteDate(2026, 11, 1, 0, 0, 0.0, orekit.utc());
        long g0 = System.nanoTime();
        List<SyntheticCatalog.Entry> cat = SyntheticCatalog.generate(objects, seed, start, orekit.utc(), 40000);
        System.out.printf(Locale.ROOT, "generated %d element sets in %.1f s%n", cat.size(), (System.nanoTime() - g0) / 1e9);
        if (a.containsKey("tleOut")) {
            StringBuilder sb = new StringBuilder();
            for (SyntheticCatalog.Entry e : cat) {
                sb.append(e.line1()).append('\n').append(e.line2()).append('\n');
            }
            Files.writeString(Path.of(a.get("tleOut")), sb);
        }
        List<Screener.Target> targets = cat.stream()
                .map(e -> new Screener.Target(e.noradId(), new TLE(e.line1(), e.line2(), orekit.utc()))).toList();
        if (a.containsKey("statesOut")) {
            // TEME positions (km) of the first 500 objects 0, 720 and 1440 minutes after the start, for the
            // comparison with the other SGP4 implementation
            StringBuilder sb = new StringBuilder();
            for (Screener.Target t : targets.subList(0, Math.min(500, targets.size()))) {
                TLEPropagator p = TLEPropagator.selectExtrapolator(t.tle(), orekit.teme());
                for (int minutes : new int[] { 0, 720, 1440 }) {
                    var pos = p.getPVCoordinates(start.shiftedBy(minutes * 60.0)).getPosition();
                    sb.append(String.format(Locale.ROOT, "%d %d %.9f %.9f %.9f%n", t.id(), minutes, pos.getX() / 1000,
                            pos.getY() / 1000, pos.getZ() / 1000));
                }
            }
            Files.writeString(Path.of(a.get("statesOut")), sb);
        }
        StringBuilder json = new StringBuilder("{");

        if (mode.equals("all") || mode.equals("sgp4")) {
            // propagations per second: every object over one day at 60 s steps, one thread, then all threads
            int n = Math.min(objects, 2000);
            for (int t : new int[] { 1, threads }) {
                long calls = (long) n * 1440;
                sgp4Run(targets.subList(0, n), start, t); // warm-up
                long s0 = System.nanoTime();
                sgp4Run(targets.subList(0, n), start, t);
                double sec = (System.nanoTime() - s0) / 1e9;
                System.out.printf(Locale.ROOT, "orekit sgp4: %d threads: %.0f propagations/s (%.0f per core)%n", t,
                        calls / sec, calls / sec / t);
                json.append(String.format(Locale.ROOT, "\"orekitPropagationsPerSecond_%dthreads\": %.0f, ", t, calls / sec));
            }
        }
        if (mode.equals("all") || mode.equals("ccdm")) {
            ccdmRun(targets, orekit, json);
        }
        if (mode.equals("sgp4") || mode.equals("ccdm")) {
            System.out.println(json.substring(0, Math.max(1, json.length() - 2)) + "}");
            return;
        }
        Screener screener = new Screener(orekit.teme());
        Runtime rt = Runtime.getRuntime();
        System.gc();
        Screener.Options o = Screener.Options.of(days * 86400, km).withThreads(threads).withDetectionStep(step);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        Screener.Result r = screener.screen(targets, null, start, o, null);
        double cpuSec = (os.getProcessCpuTime() - cpu0) / 1e9;
        double load = os.getSystemLoadAverage();
        long pcStart = System.nanoTime();
        long high = r.conjunctions().stream()
                .filter(c -> CollisionProbability.compute(c.primaryState(), c.secondaryState()) > 1e-4).count();
        double pcSec = (System.nanoTime() - pcStart) / 1e9;
        Screener.Stats s = r.stats();
        long usedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        System.out.printf(Locale.ROOT, "screening %d objects x %.1f days at %.1f km: %d conjunctions in %.1f s "
                + "(sample %.1f s, detect %.1f s, refine %.1f s; candidate steps %d, refined runs %d, sgp4 calls %d, skipped %d); Pc for all in %.1f s (%d above 1e-4); heap in use %d MB of max %d MB%n",
                objects, days, km, r.conjunctions().size(), s.seconds(), s.sampleSeconds(), s.detectSeconds(),
                s.refineSeconds(), s.candidateSteps(), s.refinedRuns(),
                s.sgp4Calls(), s.skipped(), pcSec, high, usedMb, rt.maxMemory() >> 20);
        System.out.printf(Locale.ROOT,
                "screening CPU time %.1f s (%.1f s per core over %d threads); system load average at the end %.2f%n",
                cpuSec, cpuSec / threads, threads, load);
        json.append(String.format(Locale.ROOT, "\"screeningCpuSeconds\": %.1f, \"loadAverage\": %.2f, ", cpuSec, load));
        json.append(String.format(Locale.ROOT, "\"objects\": %d, \"days\": %.1f, \"thresholdKm\": %.1f, \"conjunctions\": %d, "
                + "\"screeningSeconds\": %.2f, \"sgp4Calls\": %d, \"candidateSteps\": %d, \"refinedRuns\": %d, ",
                objects, days, km, r.conjunctions().size(), s.seconds(), s.sgp4Calls(), s.candidateSteps(), s.refinedRuns()));

        if (recallObjects > 0) {
            // the reference on a subset: the first recallObjects of a shuffled order keeping close pairs together
            int m = Math.min(recallObjects, objects);
            List<Screener.Target> subset = new ArrayList<>();
            Set<Integer> ids = new HashSet<>();
            int stride = Math.max(1, objects / m);
            for (int i = 0; i < objects && subset.size() < m; i += stride) {
                subset.add(targets.get(i));
                ids.add(targets.get(i).id());
            }
            // plus every close pair (the end of the catalog) so the subset holds conjunctions
            for (int i = objects - 2 * Math.max(1, objects / 50); i < objects; i++) {
                if (ids.add(targets.get(i).id())) {
                    subset.add(targets.get(i));
                }
            }
            double dur = recallDays * 86400;
            long b0 = System.nanoTime();
            List<Screener.Conjunction> ref = BruteForceScreener.screen(subset, start, dur, km, 10, orekit.teme());
            double bsec = (System.nanoTime() - b0) / 1e9;
            int hit = 0;
            for (Screener.Conjunction c : ref) {
                boolean ok = r.conjunctions().stream()
                        .anyMatch(x -> ((x.primary() == c.primary() && x.secondary() == c.secondary())
                                || (x.primary() == c.secondary() && x.secondary() == c.primary()))
                                && Math.abs(x.tca().durationFrom(c.tca())) < 0.01 && Math.abs(x.missKm() - c.missKm()) < 1e-3);
                if (ok) {
                    hit++;
                } else {
                    System.out.printf(Locale.ROOT, "MISSED %d-%d at %s miss %.3f km%n", c.primary(), c.secondary(), c.tca(),
                            c.missKm());
                }
            }
            long extra = r.conjunctions().stream().filter(x -> ids.contains(x.primary()) && ids.contains(x.secondary())
                    && x.tca().durationFrom(start) <= dur).count();
            double recall = ref.isEmpty() ? 1.0 : (double) hit / ref.size();
            System.out.printf(Locale.ROOT,
                    "recall vs brute force (%d objects x %.1f days, 10 s steps, %.1f s): %d of %d = %.4f; "
                            + "engine conjunctions in that subset/window: %d%n",
                    subset.size(), recallDays, bsec, hit, ref.size(), recall, extra);
            json.append(String.format(Locale.ROOT,
                    "\"recallObjects\": %d, \"recallDays\": %.1f, \"referenceConjunctions\": %d, "
                            + "\"found\": %d, \"recall\": %.4f, \"engineInSubset\": %d, ",
                    subset.size(), recallDays, ref.size(), hit, recall, extra));
        }
        json.append("\"threads\": ").append(threads).append(", \"maxHeapMb\": ").append(rt.maxMemory() >> 20).append("}");
        System.out.println(json);
        if (a.containsKey("out")) {
            Files.writeString(Path.of(a.get("out")), json + "\n");
        }
    }

    /**
     * Maneuver detection throughput (what an ingest pays per element set with a predecessor) and the proximity part of
     * a CCDM assessment (the expensive part of GET /ccdm/{noradId}) against this catalog.
     */
    private static void ccdmRun(List<Screener.Target> targets, OrekitData orekit, StringBuilder json) {
        var burns = new io.defensebuilders.orbital.maneuvers.Burns(orekit);
        int n = Math.min(2000, targets.size());
        List<TLE[]> pairs = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TLE before = targets.get(i).tle();
            try {
                boolean burn = i % 10 == 0;
                // the third slot marks a pair with a burn
                pairs.add(new TLE[] { before, burns.afterBurn(before, 43200, 0, burn ? 5 : 0, 0, 43200),
                        burn ? before : null });
            } catch (RuntimeException e) {
                // an orbit Orekit's TLE fitting does not converge on: left out
            }
        }
        var detector = new io.defensebuilders.orbital.maneuvers.ManeuverDetector(orekit.teme(),
                new io.defensebuilders.orbital.maneuvers.ManeuverDetector.Settings() {
                    public io.defensebuilders.orbital.maneuvers.ManeuverDetector.Thresholds thresholds(
                            io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime r) {
                        return io.defensebuilders.orbital.maneuvers.ManeuverDetector.Thresholds.defaults(r);
                    }

                    public double maxGapDays() {
                        return 14;
                    }
                });
        pairs.forEach(p -> detector.detect(p[0], p[1])); // warm-up
        long t0 = System.nanoTime();
        boolean[] flagged = new boolean[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            flagged[i] = detector.detect(pairs.get(i)[0], pairs.get(i)[1]).isPresent();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        int hits = 0;
        int misses = 0;
        int falseAlarms = 0;
        for (int i = 0; i < pairs.size(); i++) {
            boolean burnt = pairs.get(i)[2] != null;
            hits += burnt && flagged[i] ? 1 : 0;
            misses += burnt && !flagged[i] ? 1 : 0;
            falseAlarms += !burnt && flagged[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "maneuver detection: %d pairs in %.2f s on one thread = %.0f pairs/s; 5 m/s"
                + " in-track burns found %d of %d, false alarms %d of %d without a burn%n", pairs.size(), sec,
                pairs.size() / sec, hits, hits + misses, falseAlarms, pairs.size() - hits - misses);
        json.append(String.format(Locale.ROOT, "\"maneuverPairsPerSecond\": %.0f, \"maneuverBurnsFound\": %d, "
                + "\"maneuverBurnsMissed\": %d, \"maneuverFalseAlarms\": %d, ", pairs.size() / sec, hits, misses,
                falseAlarms));

        var finder = new io.defensebuilders.orbital.ccdm.ProximityFinder(orekit.teme(), orekit.utc());
        double[] times = new double[20];
        int[] candidates = new int[20];
        for (int k = 0; k < times.length; k++) {
            Screener.Target primary = targets.get((k * 7919) % targets.size());
            double a = io.defensebuilders.orbital.ccdm.CcdmAssessor.semiMajorAxisKm(
                    primary.tle().getMeanMotion() * 86400 / (2 * Math.PI));
            double e = primary.tle().getE();
            List<io.defensebuilders.orbital.ccdm.ProximityFinder.Candidate> shell = new java.util.ArrayList<>();
            for (Screener.Target t : targets) {
                double at = io.defensebuilders.orbital.ccdm.CcdmAssessor.semiMajorAxisKm(
                        t.tle().getMeanMotion() * 86400 / (2 * Math.PI));
                if (t.id() != primary.id() && at * (1 - t.tle().getE()) <= a * (1 + e) + 25
                        && at * (1 + t.tle().getE()) >= a * (1 - e) - 25) {
                    shell.add(new io.defensebuilders.orbital.ccdm.ProximityFinder.Candidate(t.id(), null, t.tle()));
                }
            }
            long p0 = System.nanoTime();
            finder.near(primary.tle(), shell, primary.tle().getDate().shiftedBy(-43200), 86400, 25, 0.05);
            times[k] = (System.nanoTime() - p0) / 1e6;
            candidates[k] = shell.size();
        }
        double[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "ccdm proximity (24 h, 25 km) for 20 objects: median %.0f ms, max %.0f ms;"
                + " shell candidates median %d, max %d%n", sorted[10], sorted[19],
                java.util.Arrays.stream(candidates).sorted().toArray()[10], java.util.Arrays.stream(candidates).max()
                        .orElse(0));
        json.append(String.format(Locale.ROOT, "\"ccdmProximityMedianMs\": %.0f, \"ccdmProximityMaxMs\": %.0f, ",
                sorted[10], sorted[19]));
    }

    private static void sgp4Run(List<Screener.Target> targets, AbsoluteDate start, int threads) {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, targets.size()).parallel().forEach(i -> {
                TLEPropagator p = TLEPropagator.selectExtrapolator(targets.get(i).tle(),
                        org.orekit.frames.FramesFactory.getTEME());
                double sink = 0;
                for (int k = 0; k < 1440; k++) {
                    sink += p.getPVCoordinates(start.shiftedBy(k * 60.0)).getPosition().getX();
                }
                if (sink == 42) {
                    System.out.print("");
                }
            })).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }
}
