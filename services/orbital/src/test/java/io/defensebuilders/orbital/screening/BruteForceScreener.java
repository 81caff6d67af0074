package io.defensebuilders.orbital.screening;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

/**
 * The reference the screening engine is measured against: no filter, no index, no interpolation. Every object is
 * propagated with SGP4 at every fine step; every pair is examined at every step where it could be within the
 * threshold, the only skip being rigorous (a pair {@code d} apart cannot come within the threshold sooner than
 * {@code (d - threshold) / (vmax_i + vmax_j)} seconds, with the top speeds over the window plus a 10% margin); a
 * negative-to-positive change of the range rate between two steps is refined on SGP4 with Brent's method, exactly
 * as the engine does. Memory: objects x steps x 48 bytes.
 */
public final class BruteForceScreener {

    private BruteForceScreener() {
    }

    public static List<Screener.Conjunction> screen(List<Screener.Target> targets, AbsoluteDate start,
            double durationS, double thresholdKm, double stepS, Frame teme) {
        int n = targets.size();
        int steps = (int) Math.ceil(durationS / stepS) + 1;
        double[][] pos = new double[n][];
        double[] vmax = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            TLEPropagator p = TLEPropagator.selectExtrapolator(targets.get(i).tle(), teme);
            double[] s = new double[steps * 6];
            double vm = 0;
            for (int k = 0; k < steps; k++) {
                PVCoordinates pv = p.getPVCoordinates(start.shiftedBy(Math.min(durationS, k * stepS)));
                double[] r = pv.getPosition().toArray();
                double[] v = pv.getVelocity().toArray();
                for (int c = 0; c < 3; c++) {
                    s[6 * k + c] = r[c] * 1e-3;
                    s[6 * k + 3 + c] = v[c] * 1e-3;
                }
                vm = Math.max(vm, pv.getVelocity().getNorm() * 1e-3);
            }
            pos[i] = s;
            vmax[i] = vm * 1.1;
        });
        List<Screener.Conjunction> found = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<TLEPropagator[]> props = ThreadLocal.withInitial(() -> new TLEPropagator[n]);
        IntStream.range(0, n).parallel().forEach(i -> {
            TLEPropagator[] mine = props.get();
            for (int j = i + 1; j < n; j++) {
                double[] a = pos[i];
                double[] b = pos[j];
                double vrel = vmax[i] + vmax[j];
                int k = 0;
                while (k < steps - 1) {
                    int o = 6 * k;
                    double dx = b[o] - a[o];
                    double dy = b[o + 1] - a[o + 1];
                    double dz = b[o + 2] - a[o + 2];
                    double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                    int skip = (int) Math.floor((d - thresholdKm) / (vrel * stepS));
                    if (skip >= 1) {
                        k += skip;
                        continue;
                    }
                    double rr0 = rangeRate(a, b, k);
                    double rr1 = rangeRate(a, b, k + 1);
                    if (rr0 < 0 && rr1 >= 0) {
                        if (mine[i] == null) {
                            mine[i] = TLEPropagator.selectExtrapolator(targets.get(i).tle(), teme);
                        }
                        if (mine[j] == null) {
                            mine[j] = TLEPropagator.selectExtrapolator(targets.get(j).tle(), teme);
                        }
                        List<Encounters.Approach> out = new ArrayList<>(1);
                        double lo = k * stepS;
                        double hi = Math.min(durationS, (k + 1) * stepS);
                        if (Encounters.rangeRate(mine[i], mine[j], start, lo, null) < 0
                                && Encounters.rangeRate(mine[i], mine[j], start, hi, null) >= 0) {
                            Encounters.refine(mine[i], mine[j], start, lo, hi, thresholdKm, out, null);
                        }
                        for (Encounters.Approach ap : out) {
                            found.add(Screener.conjunction(targets.get(i).id(), targets.get(j).id(),
                                    start.shiftedBy(ap.t()), ap.missKm(), ap.first(), ap.second()));
                        }
                    }
                    k++;
                }
            }
        });
        List<Screener.Conjunction> out = new ArrayList<>(found);
        out.sort((x, y) -> x.tca().compareTo(y.tca()));
        return out;
    }

    private static double rangeRate(double[] a, double[] b, int k) {
        int o = 6 * k;
        double s = 0;
        for (int c = 0; c < 3; c++) {
            s += (b[o + c] - a[o + c]) * (b[o + 3 + c] - a[o + 3 + c]);
        }
        return s;
    }
}
