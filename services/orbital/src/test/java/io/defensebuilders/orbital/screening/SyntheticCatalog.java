package io.defensebuilders.orbital.screening;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.hipparchus.util.FastMath;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.TimeScale;

/**
 * A seedable generator of a realistic synthetic catalog, for tests and benchmarks (nothing is downloaded): LEO
 * constellation shells, sun-synchronous orbits, scattered LEO, three debris clouds, GNSS-like MEO, the GEO belt and
 * Molniya orbits, plus deliberately close pairs (a twin of a LEO object with a slightly different inclination and
 * mean anomaly, so the two pass within a few km of each other near the nodes) so a screening has conjunctions to
 * find. Every element set is a valid TLE written by Orekit (checksums included), epochs within the two days before
 * {@code epoch} (the close pairs' epochs are their meeting times, in the six days after it).
 */
public final class SyntheticCatalog {

    /** One generated element set. */
    public record Entry(int noradId, String name, String line1, String line2) {
    }

    private static final double MU = 398600.4418; // km^3/s^2
    private static final double RE = 6378.135;
    private static final double J2 = 1.08262998905e-3;

    private SyntheticCatalog() {
    }

    /** {@code n} element sets (NORAD ids from {@code firstId}); the same seed gives the same catalog. */
    public static List<Entry> generate(int n, long seed, AbsoluteDate epoch, TimeScale utc, int firstId) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Entry> out = new ArrayList<>(n);
        int closePairs = Math.max(1, n / 50);
        int singles = n - 2 * closePairs;
        int id = firstId;
        double[][] clouds = { { 790, 98.6, 40, 120 }, { 850, 74.0, 250, 30 }, { 780, 86.4, 150, 300 } };
        for (int k = 0; k < singles; k++) {
            double u = rnd.nextDouble();
            double[] el; // altitude of perigee km or a, e, i deg, raan, argp, M, bstar
            String name;
            if (u < 0.38) { // constellation shells
                double[][] shells = { { 550, 53.0 }, { 540, 53.2 }, { 570, 70.0 }, { 560, 97.6 }, { 630, 51.9 },
                        { 1200, 87.9 }, { 1325, 50.0 } };
                double[] s = shells[rnd.nextInt(shells.length)];
                el = circular(s[0] + rnd.nextDouble(-2, 2), s[1] + rnd.nextDouble(-0.05, 0.05), rnd, 0.0002, 2e-5);
                name = "SHELL-" + (int) s[0];
            } else if (u < 0.58) { // sun-synchronous
                double alt = rnd.nextDouble(450, 900);
                el = circular(alt, sunSynchronousInclination(RE + alt), rnd, 0.002, 5e-5);
                name = "SSO";
            } else if (u < 0.68) { // scattered LEO
                double alt = rnd.nextDouble(350, 2000);
                el = circular(alt, rnd.nextDouble(0, 100), rnd, 0.02, 1e-4);
                name = "LEO";
            } else if (u < 0.83) { // debris clouds
                double[] c = clouds[rnd.nextInt(clouds.length)];
                double alt = c[0] + rnd.nextGaussian() * 40;
                el = circular(alt, c[1] + rnd.nextGaussian() * 0.3, rnd, 0.01, 3e-4);
                el[3] = FastMath.toRadians(c[2] + rnd.nextGaussian() * 0.5);
                el[4] = FastMath.toRadians(c[3] + rnd.nextGaussian() * 20);
                name = "DEB";
            } else if (u < 0.87) { // GNSS-like MEO
                double[][] gnss = { { 20180, 55 }, { 19100, 64.8 }, { 23222, 56 } };
                double[] g = gnss[rnd.nextInt(gnss.length)];
                el = circular(g[0] + rnd.nextDouble(-50, 50), g[1] + rnd.nextDouble(-1, 1), rnd, 0.01, 0);
                name = "MEO";
            } else if (u < 0.97) { // GEO belt, some drifting and inclined
                double a = 42164 + rnd.nextGaussian() * 30;
                el = circular(a - RE, rnd.nextDouble() < 0.6 ? rnd.nextDouble(0, 0.1) : rnd.nextDouble(0, 15), rnd,
                        0.001, 0);
                name = "GEO";
            } else { // Molniya
                double a = 26560 + rnd.nextDouble(-100, 100);
                double e = rnd.nextDouble(0.70, 0.74);
                el = new double[] { a, e, FastMath.toRadians(63.4 + rnd.nextDouble(-0.5, 0.5)),
                        rnd.nextDouble(0, 2 * Math.PI), FastMath.toRadians(270 + rnd.nextDouble(-5, 5)),
                        rnd.nextDouble(0, 2 * Math.PI), 1e-5 };
                name = "MOLNIYA";
            }
            out.add(entry(id++, name, el, epoch.shiftedBy(-rnd.nextDouble(0, 2 * 86400.0)), utc));
        }
        for (int k = 0; k < closePairs; k++) {
            // two crossing orbits (same node, inclinations 1-10 degrees apart, periods slightly different) whose element
            // sets share an epoch at which both are at the node, a few km apart: they meet there (SGP4's short-period
            // terms move the miss by a few km) and drift apart afterwards. The epoch is in the week after epoch.
            double alt = rnd.nextDouble(500, 1000);
            double[] el = circular(alt, rnd.nextDouble(30, 90), rnd, 0.0005, 2e-5);
            el[4] = 0; // perigee at the node: the mean anomaly is the argument of latitude
            el[5] = 0;
            AbsoluteDate at = epoch.shiftedBy(rnd.nextDouble(3600, 6 * 86400.0));
            double[] twin = el.clone();
            twin[2] += FastMath.toRadians(rnd.nextDouble(1, 10));
            twin[0] += rnd.nextDouble(-1.0, 1.0);
            twin[5] = rnd.nextDouble(-2, 2) / el[0];
            out.add(entry(id++, "PAIR-A", el, at, utc));
            out.add(entry(id++, "PAIR-B", twin, at, utc));
        }
        return out;
    }

    /** Near-circular elements: semi-major axis km, e, i rad, raan, argp, M, bstar. */
    private static double[] circular(double alt, double incDeg, SplittableRandom rnd, double maxE, double bstar) {
        return new double[] { RE + alt, rnd.nextDouble(0, maxE), FastMath.toRadians(incDeg),
                rnd.nextDouble(0, 2 * Math.PI), rnd.nextDouble(0, 2 * Math.PI), rnd.nextDouble(0, 2 * Math.PI),
                bstar == 0 ? 0 : bstar * rnd.nextDouble(0.2, 2) };
    }

    /** The inclination (deg) that makes the node precess 360° per year at this semi-major axis (circular). */
    static double sunSynchronousInclination(double a) {
        double n = Math.sqrt(MU / (a * a * a));
        double rate = 2 * Math.PI / (365.2422 * 86400);
        double cos = -rate / (1.5 * J2 * n * (RE / a) * (RE / a));
        return FastMath.toDegrees(FastMath.acos(cos));
    }

    private static Entry entry(int id, String name, double[] el, AbsoluteDate at, TimeScale utc) {
        double a = el[0];
        double n = Math.sqrt(MU / (a * a * a)); // rad/s
        TLE tle = new TLE(id, 'U', 2020, 1 + id % 999, "A", 0, 999, at, n, 0, 0, el[1], el[2], wrap(el[4]), wrap(el[3]),
                wrap(el[5]), 1, el[6], utc);
        return new Entry(id, name + " " + id, tle.getLine1(), tle.getLine2());
    }

    private static double wrap(double angle) {
        double a = angle % (2 * Math.PI);
        return a < 0 ? a + 2 * Math.PI : a;
    }
}
