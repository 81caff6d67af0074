package io.defensebuilders.orbital.maneuvers;

import java.util.Optional;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.hipparchus.util.FastMath;
import org.orekit.errors.OrekitException;
import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

/**
 * Finds a maneuver between two element sets of one object: it propagates the earlier one (SGP4) to the epoch of the
 * later one and compares the two orbits there.
 * <p>
 * Both orbits are sampled over one revolution from the later epoch and their osculating semi-major axis, angular
 * momentum direction and eccentricity vector averaged, which removes SGP4's short-period terms (the J2 ripple of
 * ~10 km in a low orbit's osculating semi-major axis) and leaves the mean orbit. What a burn changes then shows:
 * <ul>
 * <li>semi-major axis Δa → in-track Δv ≈ v Δa / 2a (Gauss, near-circular);</li>
 * <li>orbit plane, the angle θ between the mean angular-momentum directions → cross-track Δv = 2 v sin(θ/2);</li>
 * <li>eccentricity vector Δe beyond the 2 Δv<sub>t</sub>/v an in-track burn explains → radial Δv ≈ v Δe −
 * 2|Δv<sub>t</sub>|.</li>
 * </ul>
 * SGP4's own prediction error grows with the gap between the epochs, so each statistic is compared with a noise
 * threshold of the orbit regime that grows with the gap ({@link Thresholds}); a maneuver is flagged when one exceeds
 * it, with confidence 1 − 1/z for the largest ratio z of statistic to threshold.
 */
public final class ManeuverDetector {

    /** Orbit regimes, from the later element set: period and eccentricity. */
    public enum Regime {
        LEO,
        MEO,
        GEO,
        HEO;

        /** Regime of an orbit with this mean motion (rev/day) and eccentricity. */
        public static Regime of(double meanMotionRevPerDay, double eccentricity) {
            if (eccentricity >= 0.25) {
                return HEO;
            }
            if (meanMotionRevPerDay >= 6.4) { // period under 225 minutes: SGP4's near-Earth branch
                return LEO;
            }
            if (meanMotionRevPerDay > 0.9 && meanMotionRevPerDay < 1.1) {
                return GEO;
            }
            return MEO;
        }
    }

    /** What a burn is taken for. */
    public enum Classification {
        ALTITUDE_RAISE,
        ALTITUDE_LOWER,
        PLANE_CHANGE,
        PHASING,
        STATION_KEEPING
    }

    /**
     * Noise thresholds of one regime: a statistic is noise up to {@code base + perDay × gap days}.
     *
     * @param semiMajorAxisKm mean semi-major axis change, km
     * @param perDaySemiMajorAxisKm its growth per day between the epochs
     * @param planeDeg angle between the mean orbit planes, degrees
     * @param perDayPlaneDeg its growth per day
     * @param eccentricity change of the mean eccentricity vector (beyond what the in-track change explains)
     * @param perDayEccentricity its growth per day
     * @param stationKeepingMaxMs a flagged burn of at most this total Δv (m/s) is taken for station-keeping
     * @param altitudeChangeKm an in-plane burn changing the semi-major axis by at least this is an altitude change;
     *        a smaller one is phasing
     */
    public record Thresholds(double semiMajorAxisKm, double perDaySemiMajorAxisKm, double planeDeg, double perDayPlaneDeg,
            double eccentricity, double perDayEccentricity, double stationKeepingMaxMs, double altitudeChangeKm) {

        /**
         * Defaults, set above what TLE-to-TLE consistency shows for well-tracked objects of each regime: drag makes a
         * low orbit's semi-major axis the least predictable; a geostationary orbit's plane and shape are held tightly.
         */
        public static Thresholds defaults(Regime regime) {
            return switch (regime) {
                case LEO -> new Thresholds(0.25, 0.15, 0.01, 0.002, 1e-4, 2e-5, 0.3, 5);
                case MEO -> new Thresholds(0.5, 0.1, 0.01, 0.002, 1e-4, 2e-5, 0.5, 10);
                case GEO -> new Thresholds(0.5, 0.05, 0.005, 0.001, 5e-5, 1e-5, 2.0, 20);
                case HEO -> new Thresholds(2.0, 0.5, 0.02, 0.005, 5e-4, 1e-4, 1.0, 20);
            };
        }
    }

    /** Thresholds per regime. */
    public interface Settings {
        Thresholds thresholds(Regime regime);

        /** Element sets further apart than this (days) are not compared: SGP4's error swamps any burn. */
        double maxGapDays();
    }

    /**
     * A maneuver between two epochs. Δv components in m/s: in-track signed (+ raises the orbit), cross-track signed
     * (+ when the inclination grows), radial unsigned (a mean-element comparison does not tell its sign).
     *
     * @param regime orbit regime
     * @param gapDays days between the epochs
     * @param deltaVMs total Δv estimate, m/s
     * @param radialMs radial component
     * @param inTrackMs in-track component
     * @param crossTrackMs cross-track component
     * @param deltaSemiMajorAxisKm mean semi-major axis change, km
     * @param deltaInclinationDeg inclination change, degrees
     * @param planeChangeDeg angle between the orbit planes, degrees
     * @param deltaEccentricity change of the eccentricity vector
     * @param positionDifferenceKm distance between the two predictions at the later epoch, km
     * @param classification what the burn is taken for
     * @param confidence in (0, 0.99]
     * @param significance the largest ratio of a statistic to its noise threshold (above 1)
     */
    public record Maneuver(Regime regime, double gapDays, double deltaVMs, double radialMs, double inTrackMs,
            double crossTrackMs, double deltaSemiMajorAxisKm, double deltaInclinationDeg, double planeChangeDeg,
            double deltaEccentricity, double positionDifferenceKm, Classification classification, double confidence,
            double significance, double burnAfterS, double burnUncertaintyS) {
    }

    private static final int SAMPLES = 24;

    private final Frame teme;
    private final Settings settings;

    public ManeuverDetector(Frame teme, Settings settings) {
        this.teme = teme;
        this.settings = settings;
    }

    /**
     * The maneuver between {@code before} and {@code after} (after's epoch the later), if the orbits differ by more
     * than SGP4's error explains. Empty too when the pair cannot be compared: too far apart, or SGP4 has no solution
     * for one of them at the later epoch (a decayed orbit).
     */
    public Optional<Maneuver> detect(TLE before, TLE after) {
        AbsoluteDate epoch = after.getDate();
        double gapDays = epoch.durationFrom(before.getDate()) / 86_400.0;
        if (gapDays <= 0 || gapDays > settings.maxGapDays()) {
            return Optional.empty();
        }
        MeanOrbit was;
        MeanOrbit is;
        TLEPropagator earlier;
        TLEPropagator later;
        try {
            double period = 2 * FastMath.PI / after.getMeanMotion(); // Orekit holds mean motion in rad/s
            earlier = TLEPropagator.selectExtrapolator(before, teme);
            later = TLEPropagator.selectExtrapolator(after, teme);
            was = MeanOrbit.average(earlier, epoch, period);
            is = MeanOrbit.average(later, epoch, period);
        } catch (OrekitException | ArithmeticException e) {
            return Optional.empty();
        }
        if (was == null || is == null) {
            return Optional.empty();
        }
        double eccentricity = is.eccentricity.getNorm();
        Regime regime = Regime.of(after.getMeanMotion() * 86_400.0 / (2 * FastMath.PI), eccentricity);
        Thresholds t = settings.thresholds(regime);

        double a = is.semiMajorAxisM;
        double v = FastMath.sqrt(TLEPropagator.getMU() / a); // m/s, circular speed at the mean semi-major axis
        double deltaA = is.semiMajorAxisM - was.semiMajorAxisM;
        double plane = Vector3D.angle(was.normal, is.normal);
        double deltaE = is.eccentricity.subtract(was.eccentricity).getNorm();
        double deltaI = inclination(is.normal) - inclination(was.normal);

        double inTrack = v * deltaA / (2 * a);
        double crossTrack = FastMath.copySign(2 * v * FastMath.sin(plane / 2), deltaI);
        double radial = FastMath.max(0, v * deltaE - 2 * FastMath.abs(inTrack));
        double total = FastMath.sqrt(radial * radial + inTrack * inTrack + crossTrack * crossTrack);

        double zA = FastMath.abs(deltaA) / 1000.0 / (t.semiMajorAxisKm() + t.perDaySemiMajorAxisKm() * gapDays);
        double zPlane = FastMath.toDegrees(plane) / (t.planeDeg() + t.perDayPlaneDeg() * gapDays);
        double zE = FastMath.max(0, deltaE - 2 * FastMath.abs(inTrack) / v)
                / (t.eccentricity() + t.perDayEccentricity() * gapDays);
        double z = FastMath.max(zA, FastMath.max(zPlane, zE));
        if (!(z > 1)) {
            return Optional.empty();
        }
        Classification kind;
        if (total <= t.stationKeepingMaxMs()) {
            kind = Classification.STATION_KEEPING;
        } else if (FastMath.abs(crossTrack) >= FastMath.hypot(inTrack, radial)) {
            kind = Classification.PLANE_CHANGE;
        } else if (FastMath.abs(deltaA) / 1000.0 >= t.altitudeChangeKm()) {
            kind = deltaA > 0 ? Classification.ALTITUDE_RAISE : Classification.ALTITUDE_LOWER;
        } else {
            kind = Classification.PHASING;
        }
        double confidence = FastMath.min(0.99, 1 - 1 / z);
        double[] burn = burnTime(earlier, before.getDate(), later, after.getDate(),
                2 * FastMath.PI / after.getMeanMotion());
        return Optional.of(new Maneuver(regime, gapDays, total, radial, inTrack, crossTrack, deltaA / 1000.0,
                FastMath.toDegrees(deltaI), FastMath.toDegrees(plane), deltaE, is.positionAtEpoch
                        .distance(was.positionAtEpoch) / 1000.0,
                kind, confidence, z, burn[0], burn[1]));
    }

    /** Trajectories this close (beyond the closest) are SGP4 fit noise, m: their times are as likely for the burn. */
    private static final double BURN_TIME_NOISE_M = 2000;
    private static final int BURN_TIME_MAX_SAMPLES = 20_000;

    /**
     * When the burn happened, as {seconds after {@code start}, uncertainty (s)}; NaNs when SGP4 fails in the
     * window. An impulsive burn leaves the position continuous, so the two trajectories meet at the burn: both element
     * sets are propagated across the window (the earlier forward, the later backward) on 1/24-revolution steps, and
     * the closest approach of the two is refined with Brent's method. A drift (in-track and radial burns change the
     * period) makes the meeting unique; a pure plane change meets again every revolution. So every local closest
     * approach within {@value #BURN_TIME_NOISE_M} m plus the best one's miss counts, and the uncertainty is half their
     * span plus one step.
     */
    private static double[] burnTime(TLEPropagator earlier, AbsoluteDate start, TLEPropagator later, AbsoluteDate end,
            double periodS) {
        double window = end.durationFrom(start);
        int n = (int) FastMath.min(BURN_TIME_MAX_SAMPLES, FastMath.ceil(window / (periodS / SAMPLES)));
        double step = window / n;
        java.util.function.DoubleUnaryOperator gap = t -> earlier.getPVCoordinates(start.shiftedBy(t)).getPosition()
                .distance(later.getPVCoordinates(start.shiftedBy(t)).getPosition());
        double[] d = new double[n + 1];
        try {
            int best = 0;
            for (int k = 0; k <= n; k++) {
                d[k] = gap.applyAsDouble(k * step);
                if (!Double.isFinite(d[k])) {
                    return new double[] { Double.NaN, Double.NaN };
                }
                if (d[k] < d[best]) {
                    best = k;
                }
            }
            double lo = FastMath.max(0, (best - 1) * step);
            double hi = FastMath.min(window, (best + 1) * step);
            // n * step can round to just past the window: the last sample's time, clamped, still starts the search
            double startAt = FastMath.min(hi, best * step);
            var optimum = new org.hipparchus.optim.univariate.BrentOptimizer(1e-10, 1e-3).optimize(
                    new org.hipparchus.optim.MaxEval(200), org.hipparchus.optim.nonlinear.scalar.GoalType.MINIMIZE,
                    new org.hipparchus.optim.univariate.UnivariateObjectiveFunction(gap::applyAsDouble),
                    new org.hipparchus.optim.univariate.SearchInterval(lo, hi, startAt));
            double at = optimum.getPoint();
            double tolerance = optimum.getValue() + BURN_TIME_NOISE_M;
            double first = at;
            double last = at;
            for (int k = 0; k <= n; k++) {
                boolean localMin = (k == 0 || d[k] <= d[k - 1]) && (k == n || d[k] <= d[k + 1]);
                if (localMin && d[k] <= tolerance) {
                    first = FastMath.min(first, k * step);
                    last = FastMath.max(last, k * step);
                }
            }
            return new double[] { at, FastMath.max(at - first, last - at) + step };
        } catch (OrekitException | org.hipparchus.exception.MathIllegalStateException e) {
            return new double[] { Double.NaN, Double.NaN };
        }
    }

    private static double inclination(Vector3D normal) {
        return Vector3D.angle(normal, Vector3D.PLUS_K);
    }

    /** An orbit averaged over one revolution: SI units. */
    private record MeanOrbit(double semiMajorAxisM, Vector3D normal, Vector3D eccentricity, Vector3D positionAtEpoch) {

        /** Null when SGP4 has no finite state in the revolution. */
        static MeanOrbit average(TLEPropagator sgp4, AbsoluteDate from, double periodS) {
            double mu = TLEPropagator.getMU();
            double sumA = 0;
            Vector3D sumH = Vector3D.ZERO;
            Vector3D sumE = Vector3D.ZERO;
            Vector3D first = null;
            for (int i = 0; i < SAMPLES; i++) {
                PVCoordinates pv = sgp4.getPVCoordinates(from.shiftedBy(periodS * i / SAMPLES));
                Vector3D r = pv.getPosition();
                Vector3D v = pv.getVelocity();
                double rn = r.getNorm();
                if (!Double.isFinite(rn) || !Double.isFinite(v.getNorm()) || rn == 0) {
                    return null;
                }
                if (first == null) {
                    first = r;
                }
                Vector3D h = r.crossProduct(v);
                sumA += 1 / (2 / rn - v.getNormSq() / mu);
                sumH = sumH.add(h.normalize());
                sumE = sumE.add(v.crossProduct(h).scalarMultiply(1 / mu).subtract(r.scalarMultiply(1 / rn)));
            }
            return new MeanOrbit(sumA / SAMPLES, sumH.normalize(), sumE.scalarMultiply(1.0 / SAMPLES), first);
        }
    }
}
