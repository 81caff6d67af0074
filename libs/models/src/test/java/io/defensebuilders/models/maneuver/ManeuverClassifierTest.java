package io.defensebuilders.models.maneuver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The model the build trained, run by ONNX Runtime as the inference service runs it: the bytes every build writes,
 * the contract's input and output, how well it tells purposes apart on maneuvers it was not trained on, and that
 * ONNX Runtime answers what Tribuo predicted.
 */
class ManeuverClassifierTest {

    private static final int HELD_OUT = 5_000;
    private static OrtEnvironment env;
    private static OrtSession session;

    @BeforeAll
    static void load() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(ManeuverClassifier.onnx());
    }

    @AfterAll
    static void close() throws OrtException {
        session.close();
    }

    @Test
    void theBuildWritesTheSameModelEveryTime() {
        assertArrayEquals(ManeuverTraining.onnx(ManeuverTraining.train()).toByteArray(), ManeuverClassifier.onnx(),
                "training again with the same seed writes the bytes on the class path");
    }

    @Test
    void theModelTakesTheContractsInputAndAnswersOneProbabilityPerLabel() throws OrtException {
        assertEquals(List.of(ManeuverClassifier.INPUT), List.copyOf(session.getInputNames()));
        assertEquals(List.of(ManeuverClassifier.OUTPUT), List.copyOf(session.getOutputNames()));
        float[][] p = run(new float[][] { ManeuverClassifier.features("LEO", 6900, 1, 0.1, 12, 0.5, 22) });
        assertEquals(ManeuverClassifier.LABELS.size(), p[0].length);
        double sum = 0;
        for (float x : p[0]) {
            assertTrue(x >= 0 && x <= 1, "a probability: " + x);
            sum += x;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void tellsPurposesApartOnManeuversItWasNotTrainedOn() throws OrtException {
        List<SyntheticManeuvers.Sample> samples = new SyntheticManeuvers(ManeuverTraining.SEED + 1).draw(HELD_OUT);
        float[][] p = run(samples.stream().map(SyntheticManeuvers.Sample::features).toArray(float[][]::new));
        Map<String, int[]> perLabel = new HashMap<>(); // {right, all}
        int right = 0;
        for (int i = 0; i < samples.size(); i++) {
            String truth = samples.get(i).label();
            boolean ok = ManeuverClassifier.LABELS.get(ManeuverClassifier.mostLikely(p[i])).equals(truth);
            right += ok ? 1 : 0;
            int[] counts = perLabel.computeIfAbsent(truth, k -> new int[2]);
            counts[0] += ok ? 1 : 0;
            counts[1]++;
        }
        double accuracy = right / (double) samples.size();
        StringBuilder recalls = new StringBuilder();
        perLabel.forEach((label, c) -> recalls.append(String.format(" %s %.3f", label, c[0] / (double) c[1])));
        System.out.printf("[models] maneuver-classifier on %d held-out maneuvers: accuracy %.3f, recall%s%n",
                samples.size(), accuracy, recalls);
        assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
        perLabel.forEach((label, c) -> assertTrue(c[0] / (double) c[1] >= 0.8,
                label + " recall " + c[0] / (double) c[1]));
    }

    @Test
    void onnxRuntimeAnswersWhatTribuoPredicted() throws OrtException {
        LinearSGDModel model = ManeuverTraining.train();
        List<SyntheticManeuvers.Sample> samples = new SyntheticManeuvers(ManeuverTraining.SEED + 2).draw(500);
        float[][] p = run(samples.stream().map(SyntheticManeuvers.Sample::features).toArray(float[][]::new));
        for (int i = 0; i < samples.size(); i++) {
            Prediction<Label> expected = model.predict(ManeuverTraining.example(samples.get(i)));
            for (int k = 0; k < ManeuverClassifier.LABELS.size(); k++) {
                assertEquals(expected.getOutputScores().get(ManeuverClassifier.LABELS.get(k)).getScore(), p[i][k],
                        1e-5, "sample " + i + ", " + ManeuverClassifier.LABELS.get(k));
            }
        }
    }

    @Test
    void learnedEachRegimesPractice() throws OrtException {
        // a geostationary north-south station-keeping burn: cross-track, 1.5 m/s
        assertEquals("STATION_KEEPING", classify("GEO", 42_164, 2, 0.01, 0.02, 1.5, 0.05));
        // the same Δv cross-track in a low orbit is a plane change
        assertEquals("PLANE_CHANGE", classify("LEO", 6_900, 1, 0.1, 0.2, 40, 0.3));
        // a low orbit raised by ~37 km, lowered by ~19 km
        assertEquals("ALTITUDE_RAISE", classify("LEO", 6_900, 1, 0.3, 20, 0.5, 36.8));
        assertEquals("ALTITUDE_LOWER", classify("LEO", 6_900, 1, 0.3, -10, 0.5, -18.4));
        // a geostationary relocation: 2 m/s in-track, ~55 km, a drift of about 0.7°/day
        assertEquals("PHASING", classify("GEO", 42_164, 3, 0.02, 2, 0.05, 55));
        // low-orbit drag make-up, 10 cm/s in-track, with the radial Δv the detector reads from eccentricity noise
        assertEquals("STATION_KEEPING", classify("LEO", 6_900, 1, 0.2, 0.1, 0.02, 0.18));
        // 1.5 m/s in-track in a low orbit moves it ~2.7 km: phasing, not an altitude change
        assertEquals("PHASING", classify("LEO", 6_900, 1, 0.3, 1.5, 0.05, 2.7));
    }

    @Test
    void featuresNameTheirRegimeAndHandleNoBurn() {
        assertThrows(IllegalArgumentException.class, () -> ManeuverClassifier.features("LUNAR", 1, 1, 0, 0, 0, 0));
        float[] none = ManeuverClassifier.features("leo", 6900, 0, 0, 0, 0, 0);
        assertEquals(ManeuverClassifier.FEATURES.size(), none.length);
        assertEquals(0f, none[4]);
        assertEquals(1f, none[10]);
    }

    private static String classify(String regime, double a, double gap, double r, double t, double n, double da)
            throws OrtException {
        return ManeuverClassifier.LABELS
                .get(ManeuverClassifier
                        .mostLikely(run(new float[][] { ManeuverClassifier.features(regime, a, gap, r, t, n, da) })[0]));
    }

    private static float[][] run(float[][] rows) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of(ManeuverClassifier.INPUT, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
