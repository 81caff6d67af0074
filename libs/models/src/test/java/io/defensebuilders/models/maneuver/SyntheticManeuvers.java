package io.defensebuilders.models.maneuver;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Maneuvers as orbital's detector reports them, drawn from what operators do in each orbit regime, for training and
 * checking the maneuver classifier. Each draws a regime, an orbit in it, a purpose (the label) and a burn for that
 * purpose in the local RSW frame; then it is observed as the detector observes it: the mean elements change as
 * Gauss's equations for a near-circular orbit say (Δa = 2aΔv<sub>T</sub>/v, plane angle |Δv<sub>N</sub>|/v,
 * |Δe| = √(4Δv<sub>T</sub>² + Δv<sub>R</sub>²)/v), each change blurred by an element-set noise that grows with the days
 * between the epochs, and the Δv components estimated back from the blurred changes the way {@code ManeuverDetector}
 * does.
 * <p>
 * The ranges (m/s, log-uniform) are those the literature reports for each purpose: low-orbit drag make-up of cm/s to
 * tenths of m/s, geostationary east-west and north-south station-keeping (in-track ~0.01-0.4, cross-track ~0.5-3.5,
 * about 50 m/s a year), relocation drifts of a few m/s, graveyard raises of ~11 m/s, plane changes of tens to hundreds
 * of m/s. Seeded: the same seed draws the same maneuvers.
 */
public final class SyntheticManeuvers {

    /** A drawn maneuver: its purpose and what the detector would report. */
    public record Sample(String label, String regime, double semiMajorAxisKm, double gapDays, double radialMs,
            double inTrackMs, double crossTrackMs, double deltaSemiMajorAxisKm) {

        public float[] features() {
            return ManeuverClassifier.features(regime, semiMajorAxisKm, gapDays, radialMs, inTrackMs, crossTrackMs,
                    deltaSemiMajorAxisKm);
        }
    }

    private static final double MU_KM3_S2 = 398_600.4418;

    /**
     * One regime's orbits and burns: semi-major axis range (km), days between element sets, the 1-σ element-set noise
     * (semi-major axis km, plane angle degrees, eccentricity; each grows by half again per day), and per purpose the
     * Δv range of the burn's main component (m/s).
     */
    private record Regime(String name, double minA, double maxA, double minGap, double maxGap, double sigmaAKm,
            double sigmaPlaneDeg, double sigmaE, double[] stationKeeping, double[] stationKeepingCross,
            double[] phasing, double[] altitude, double[] planeChange) {
    }

    private static final List<Regime> REGIMES = List.of(
            new Regime("LEO", 6_650, 7_900, 0.1, 3, 0.08, 0.003, 3e-5,
                    new double[] { 0.005, 0.3 }, null, new double[] { 0.35, 2.5 }, new double[] { 3, 150 },
                    new double[] { 2, 300 }),
            new Regime("MEO", 12_000, 30_000, 0.5, 5, 0.15, 0.003, 3e-5,
                    new double[] { 0.01, 0.5 }, null, new double[] { 0.6, 4 }, new double[] { 5, 300 },
                    new double[] { 5, 500 }),
            new Regime("GEO", 42_100, 42_230, 0.5, 7, 0.15, 0.0015, 1.5e-5,
                    new double[] { 0.01, 0.4 }, new double[] { 0.5, 3.5 }, new double[] { 0.5, 4 },
                    new double[] { 8, 40 }, new double[] { 10, 300 }),
            new Regime("HEO", 24_000, 27_000, 0.5, 5, 0.6, 0.006, 1.5e-4,
                    new double[] { 0.05, 1.0 }, null, new double[] { 1, 5 }, new double[] { 6, 200 },
                    new double[] { 5, 300 }));

    private final SplittableRandom random;

    public SyntheticManeuvers(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code n} maneuvers, the labels in equal shares. */
    public List<Sample> draw(int n) {
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            samples.add(draw(ManeuverClassifier.LABELS.get(i % ManeuverClassifier.LABELS.size())));
        }
        return samples;
    }

    /** One maneuver with this purpose. */
    public Sample draw(String label) {
        Regime regime = REGIMES.get(random.nextInt(REGIMES.size()));
        double a = uniform(regime.minA(), regime.maxA());
        double v = Math.sqrt(MU_KM3_S2 / a) * 1000; // m/s
        double gap = uniform(regime.minGap(), regime.maxGap());
        double r = 0;
        double t = 0;
        double n = 0;
        switch (label) {
            case "STATION_KEEPING" -> {
                if (regime.stationKeepingCross() != null && random.nextBoolean()) {
                    n = signed(logUniform(regime.stationKeepingCross()));
                } else {
                    t = signed(logUniform(regime.stationKeeping()));
                }
            }
            case "PHASING" -> t = signed(logUniform(regime.phasing()));
            case "ALTITUDE_RAISE" -> t = logUniform(regime.altitude());
            case "ALTITUDE_LOWER" -> t = -logUniform(regime.altitude());
            case "PLANE_CHANGE" -> n = signed(logUniform(regime.planeChange()));
            default -> throw new IllegalArgumentException(label);
        }
        // pointing error and the engine's off-axis thrust: the other components a tenth of the main one, at most
        double main = Math.max(Math.abs(r), Math.max(Math.abs(t), Math.abs(n)));
        r += main * 0.1 * random.nextGaussian();
        t += t == 0 ? main * 0.1 * random.nextGaussian() : 0;
        n += n == 0 ? main * 0.1 * random.nextGaussian() : 0;

        // what the element sets show, blurred
        double growth = 1 + 0.5 * gap;
        double deltaAKm = 2 * a * t / v + regime.sigmaAKm() * growth * random.nextGaussian();
        double plane = Math.abs(Math.abs(n) / v + Math.toRadians(regime.sigmaPlaneDeg() * growth * random.nextGaussian()));
        double deltaE = Math.abs(Math.sqrt(4 * t * t + r * r) / v + regime.sigmaE() * growth * random.nextGaussian());

        // and what the detector estimates back from them
        double inTrack = v * deltaAKm / (2 * a);
        double crossTrack = Math.copySign(2 * v * Math.sin(plane / 2), n);
        double radial = Math.max(0, v * deltaE - 2 * Math.abs(inTrack));
        return new Sample(label, regime.name(), a, gap, radial, inTrack, crossTrack, deltaAKm);
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    private double logUniform(double[] range) {
        return Math.exp(uniform(Math.log(range[0]), Math.log(range[1])));
    }

    private double signed(double x) {
        return random.nextBoolean() ? x : -x;
    }
}
