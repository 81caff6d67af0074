package io.defensebuilders.models.maneuver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The maneuver classifier's contract: what a burn that orbital's maneuver detection found is taken for, learned from
 * synthetic maneuvers (a multinomial logistic regression trained with Tribuo in this module's build and exported as
 * ONNX). Its one input, {@value #INPUT}, is FP32 {@code [n, 14]}: the {@link #FEATURES} of n maneuvers, built by
 * {@link #features}; its one output, {@value #OUTPUT}, is FP32 {@code [n, 5]}: each maneuver's probability of each
 * of the {@link #LABELS}, in that order.
 * <p>
 * Where it differs from the detector's rules: the rules call any cross-track burn above a regime's station-keeping
 * Δv a plane change, and any in-plane burn that moves the semi-major axis past a fixed distance an altitude change;
 * the model learned each regime's practice (a geostationary satellite's north-south station-keeping is a cross-track
 * burn of a few m/s; a relocation drift is a few m/s in-track), from the ranges {@code SyntheticManeuvers} draws.
 */
public final class ManeuverClassifier {

    /** The public model's name in the inference service's catalog. */
    public static final String NAME = "maneuver-classifier";
    /** Its version: a retrained model (other data, features or labels) is a new version. */
    public static final String VERSION = "1";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** The ONNX file on the class path (written by the build's training run). */
    public static final String RESOURCE = "/io/defensebuilders/models/maneuver/maneuver-classifier.onnx";
    /** What the catalog says of it (no code names: tenants read it). */
    public static final String DESCRIPTION = "What an orbital maneuver is taken for (PLANE_CHANGE, PHASING, "
            + "ALTITUDE_LOWER, STATION_KEEPING, ALTITUDE_RAISE, the output's columns in that order) from its Δv "
            + "components, orbit regime and semi-major axis change. Input FP32 [n, 14]: signed log(1+|x|) of the "
            + "radial and in-track Δv (m/s), log(1+|x|) of the cross-track and total Δv, each component's share of "
            + "the total, signed log(1+|x|) of the semi-major axis change (km), log(1+days between the element "
            + "sets), log of the semi-major axis in Earth radii, and one-hot LEO, MEO, GEO, HEO. Output FP32 [n, 5] "
            + "probabilities. Trained on synthetic maneuvers in the platform's build.";

    /** The output's columns, in the order Tribuo numbered the labels (the training run fails on any other). */
    public static final List<String> LABELS = List.of("PLANE_CHANGE", "PHASING", "ALTITUDE_LOWER", "STATION_KEEPING",
            "ALTITUDE_RAISE");

    /** The input's columns. Tribuo numbers features by name, hence the prefixes. */
    public static final List<String> FEATURES = List.of(
            "f00_log_radial", // signed log1p of the radial Δv, m/s
            "f01_log_in_track", // signed log1p of the in-track Δv (+ raises the orbit)
            "f02_log_cross_track", // log1p of the cross-track Δv's magnitude
            "f03_log_total", // log1p of the total Δv
            "f04_share_radial", // |component| / total: the burn's direction, 0 when there is no Δv
            "f05_share_in_track",
            "f06_share_cross_track",
            "f07_log_semi_major_axis", // signed log1p of the mean semi-major axis change, km
            "f08_log_gap", // log1p of the days between the element sets
            "f09_log_radius", // log of the semi-major axis in Earth radii
            "f10_leo",
            "f11_meo",
            "f12_geo",
            "f13_heo");

    private static final double EARTH_RADIUS_KM = 6378.137;

    private ManeuverClassifier() {
    }

    /**
     * One maneuver's input row.
     *
     * @param regime LEO, MEO, GEO or HEO (as orbital names them)
     * @param semiMajorAxisKm the orbit's mean semi-major axis after the burn, km
     * @param gapDays days between the two element sets
     * @param radialMs radial Δv, m/s
     * @param inTrackMs in-track Δv, m/s, signed
     * @param crossTrackMs cross-track Δv, m/s, signed
     * @param deltaSemiMajorAxisKm mean semi-major axis change, km, signed
     */
    public static float[] features(String regime, double semiMajorAxisKm, double gapDays, double radialMs,
            double inTrackMs, double crossTrackMs, double deltaSemiMajorAxisKm) {
        double total = Math.sqrt(radialMs * radialMs + inTrackMs * inTrackMs + crossTrackMs * crossTrackMs);
        String r = regime.toUpperCase(Locale.ROOT);
        if (!List.of("LEO", "MEO", "GEO", "HEO").contains(r)) {
            throw new IllegalArgumentException("unknown orbit regime " + regime);
        }
        return new float[] {
                (float) signedLog1p(radialMs),
                (float) signedLog1p(inTrackMs),
                (float) Math.log1p(Math.abs(crossTrackMs)),
                (float) Math.log1p(total),
                (float) (total > 0 ? Math.abs(radialMs) / total : 0),
                (float) (total > 0 ? Math.abs(inTrackMs) / total : 0),
                (float) (total > 0 ? Math.abs(crossTrackMs) / total : 0),
                (float) signedLog1p(deltaSemiMajorAxisKm),
                (float) Math.log1p(Math.max(0, gapDays)),
                (float) Math.log(Math.max(1, semiMajorAxisKm / EARTH_RADIUS_KM)),
                r.equals("LEO") ? 1f : 0f,
                r.equals("MEO") ? 1f : 0f,
                r.equals("GEO") ? 1f : 0f,
                r.equals("HEO") ? 1f : 0f };
    }

    /** The column of the most likely label in one row of the output (the first of equals). */
    public static int mostLikely(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The ONNX file's bytes. */
    public static byte[] onnx() {
        try (InputStream in = ManeuverClassifier.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: libs/models was built without "
                        + "its training run");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double signedLog1p(double x) {
        return Math.copySign(Math.log1p(Math.abs(x)), x);
    }
}
