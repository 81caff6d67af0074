package io.defensebuilders.models.maneuver;

import java.util.ArrayList;
import java.util.List;

import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import ai.onnx.proto.OnnxMl;

/**
 * How the maneuver classifier is trained: a multinomial logistic regression (Tribuo's linear SGD with the log loss,
 * AdaGrad) on {@value #TRAINING_SIZE} synthetic maneuvers. Seeded and single-threaded, so every build trains the same
 * weights and writes the same bytes.
 */
public final class ManeuverTraining {

    public static final long SEED = 20261206L;
    public static final int TRAINING_SIZE = 40_000;
    private static final int EPOCHS = 30;

    private ManeuverTraining() {
    }

    public static LinearSGDModel train() {
        // Tribuo logs the loss every epoch at INFO
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        LabelFactory factory = new LabelFactory();
        List<Example<Label>> examples = new ArrayList<>();
        for (SyntheticManeuvers.Sample s : new SyntheticManeuvers(SEED).draw(TRAINING_SIZE)) {
            examples.add(example(s));
        }
        MutableDataset<Label> data = new MutableDataset<>(new ListDataSource<>(examples, factory,
                new SimpleDataSourceProvenance("synthetic maneuvers, seed " + SEED, factory)));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), EPOCHS,
                TRAINING_SIZE, 1, SEED);
        LinearSGDModel model = trainer.train(data);
        check(model);
        return model;
    }

    /**
     * The model as ONNX, without Tribuo's provenance (it holds the training's date and time, in the metadata and the
     * doc strings): the same bytes each build.
     */
    public static OnnxMl.ModelProto onnx(LinearSGDModel model) {
        OnnxMl.ModelProto.Builder onnx = model.exportONNXModel("io.defensebuilders.models", 1).toBuilder()
                .clearMetadataProps().clearDocString();
        onnx.getGraphBuilder().clearDocString();
        return onnx.build();
    }

    /** A sample as Tribuo's example: the contract's feature names and values, in order. */
    public static Example<Label> example(SyntheticManeuvers.Sample s) {
        float[] f = s.features();
        String[] names = ManeuverClassifier.FEATURES.toArray(String[]::new);
        double[] values = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            values[i] = f[i];
        }
        return new ArrayExample<>(new Label(s.label()), names, values);
    }

    /** The exported model's columns must be the contract's: Tribuo numbers features and labels itself. */
    private static void check(LinearSGDModel model) {
        List<String> features = new ArrayList<>();
        for (int i = 0; i < model.getFeatureIDMap().size(); i++) {
            features.add(model.getFeatureIDMap().get(i).getName());
        }
        if (!features.equals(ManeuverClassifier.FEATURES)) {
            throw new IllegalStateException("the trained model's features are " + features + ", not "
                    + ManeuverClassifier.FEATURES);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < model.getOutputIDInfo().size(); i++) {
            labels.add(model.getOutputIDInfo().getOutput(i).getLabel());
        }
        if (!labels.equals(ManeuverClassifier.LABELS)) {
            throw new IllegalStateException("the trained model's labels are " + labels + ", not "
                    + ManeuverClassifier.LABELS);
        }
    }
}
